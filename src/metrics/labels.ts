// Turns what clients send (API key hashes, headers, model ids) into label values from a bounded
// set, so that a client cannot grow the number of time series.
import type { MetricsConfig } from './metrics-config.js';

export const OTHER = 'other';
/** Use case of a request without x-semcache-use-case. */
export const NO_USE_CASE = 'none';
export const MAX_MODEL_LABELS = 64;
export const MAX_REASON_LABELS = 32;

export interface LabelResolver {
  tenant(keyHash: string, tenantHeader: string | undefined): string;
  useCase(header: string | undefined): string;
  /** The model id itself for the first MAX_MODEL_LABELS distinct models seen, then `other`. */
  model(model: string): string;
  /** Free-form names given by code (eviction reasons, guard names), bounded the same way. */
  reason(name: string): string;
}

function bounded(limit: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= limit) return OTHER;
    seen.add(value);
    return value;
  };
}

export function createLabelResolver(config: Pick<MetricsConfig, 'tenantAliases' | 'allowTenantHeader' | 'tenants' | 'useCases'>): LabelResolver {
  const tenantNames = new Set([...config.tenantAliases.values(), ...config.tenants]);
  const useCases = new Set(config.useCases);
  const model = bounded(MAX_MODEL_LABELS);
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
