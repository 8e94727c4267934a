// Turns what clients send (API key hashes, headers, model ids) into label values from a bounded
// set, so that a client cannot grow the number of time series.
import type { MetricsConfig } from '../config-finops.js';

export const OTHER = 'other';
/** Use case of a request without x-semcache-use-case. */
export const NO_USE_CASE = 'none';
export const MAX_MODEL_LABELS = 64;
export const MAX_REASON_LABELS = 32;

export interface LabelResolver {
  tenant(keyHash: string, tenantHeader: string | undefined): string;
  useCase(header: string | undefined): string;
  /** The model id itself for the models the pricing file names and the first MAX_MODEL_LABELS
   * distinct models the upstream answered (`admit`), then `other`: a client sending made-up model
   * ids to failing requests cannot take the labels of the real ones. */
  model(model: string, admit?: boolean): string;
  /** Free-form names given by code (eviction reasons, guard names), bounded the same way. */
  reason(name: string): string;
}

function bounded(limit: number, known: Iterable<string> = []): (value: string, admit?: boolean) => string {
  const seen = new Set<string>(known);
  return (value, admit = true) => {
    if (seen.has(value)) return value;
    if (!admit || seen.size >= limit) return OTHER;
    seen.add(value);
    return value;
  };
}

/** Model ids the pricing file names literally (no glob) or targets: labels from the start. */
function pricedModels(config: Pick<MetricsConfig, 'pricing'>): string[] {
  const literal = config.pricing.models.map((entry) => entry.model).filter((model) => !/[*?]/.test(model));
  const targeted = config.pricing.targets.filter((target) => target.scope === 'model').map((target) => target.name);
  return [...new Set([...literal, ...targeted])].slice(0, MAX_MODEL_LABELS);
}

export function createLabelResolver(config: Pick<MetricsConfig, 'tenantAliases' | 'allowTenantHeader' | 'tenants' | 'useCases' | 'pricing'>): LabelResolver {
  const tenantNames = new Set([...config.tenantAliases.values(), ...config.tenants]);
  const useCases = new Set(config.useCases);
  const model = bounded(MAX_MODEL_LABELS, pricedModels(config));
  const reason = bounded(MAX_REASON_LABELS);
  return {
    tenant(keyHash, tenantHeader) {
      if (config.allowTenantHeader && tenantHeader !== undefined) return tenantNames.has(tenantHeader) ? tenantHeader : OTHER;
      return config.tenantAliases.get(keyHash) ?? OTHER;
    },
    useCase(header) {
      if (header === undefined || header === '') return NO_USE_CASE;
      return useCases.has(header) ? header : OTHER;
    },
    model,
    reason,
  };
}
