// The metrics' settings: pricing file, CP1KT window, tenant and use-case bounds, embedding price,
// breach webhook and the cheaper route. Read through the shared ConfigReader; loadConfig places the
// result at config.metrics.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { ConfigReader } from './config-reader.js';
import { EMPTY_PRICING, type Pricing } from './config-pricing.js';
import { parsePricing } from './config-pricing-file.js';

export const DEFAULT_CP1KT_WINDOW_SECONDS = 3600;
/** A small cloud vCPU-hour, the order of magnitude of what embedding on CPU costs. */
export const DEFAULT_EMBED_CPU_HOUR_USD = 0.04;

const KEY_HASH_PATTERN = /^[0-9a-f]{16}$/;

export interface RouteConfig {
  /** Base URL of the cheaper upstream (as an SDK would be given); no routing when unset. */
  readonly cheapUpstreamUrl: URL | undefined;
  /** Model sent to the cheaper upstream; the client's model when unset. */
  readonly cheapModel: string | undefined;
  /** Use cases moved to the cheaper route while a CP1KT target is breached. */
  readonly useCases: readonly string[];
}

export interface MetricsConfig {
  readonly pricingFile: string | undefined;
  readonly pricing: Pricing;
  readonly windowSeconds: number;
  /** Key hash (16 hex chars, see key-hash.ts) to tenant alias. */
  readonly tenantAliases: ReadonlyMap<string, string>;
  /** Honour x-semcache-tenant, limited to the aliases and `tenants`. */
  readonly allowTenantHeader: boolean;
  readonly tenants: readonly string[];
  readonly useCases: readonly string[];
  readonly embedCpuHourUsd: number;
  readonly webhookUrl: URL | undefined;
  readonly route: RouteConfig;
}

function readPricing(read: ConfigReader, path: string | undefined): Pricing {
  if (path === undefined) return EMPTY_PRICING;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    read.problem(`SEMCACHE_PRICING_FILE=${JSON.stringify(path)} cannot be read: ${(error as Error).message}`);
    return EMPTY_PRICING;
  }
  const { pricing, problems } = parsePricing(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
  for (const problem of problems) read.problem(`SEMCACHE_PRICING_FILE ${path}: ${problem}`);
  return pricing;
}

function readAliases(read: ConfigReader): Map<string, string> {
  const aliases = new Map<string, string>();
  const items = read.list('TENANT_ALIASES', [], '`keyhash=name,...`: tenant names of API keys (hash: `printf %s "$KEY" | sha256sum | cut -c1-16`)');
  for (const item of items) {
    const eq = item.indexOf('=');
    const hash = item.slice(0, eq).trim().toLowerCase();
    const name = item.slice(eq + 1).trim();
    if (eq < 0 || !KEY_HASH_PATTERN.test(hash) || name === '') {
      read.problem(`SEMCACHE_TENANT_ALIASES item ${JSON.stringify(item)} is not <16 hex chars of sha256(key)>=<name>`);
      continue;
    }
    aliases.set(hash, name);
  }
  return aliases;
}

function readRoute(read: ConfigReader, useCases: readonly string[]): RouteConfig {
  const cheapUpstreamUrl = read.optionalUrl('ROUTE_CHEAP_UPSTREAM_URL', 'during a CP1KT breach, the cheaper upstream (base URL) that routed requests go to');
  const cheapModel = read.optionalString('ROUTE_CHEAP_MODEL', { help: 'the model asked of the cheaper upstream', shown: "(the client's)" });
  const routeUseCases = read.list(
    'ROUTE_USE_CASES',
    [],
    'use cases routed to the cheaper upstream during a breach (and any `x-semcache-priority: low` request)',
  );
  if (cheapUpstreamUrl === undefined && (cheapModel !== undefined || routeUseCases.length > 0)) {
    read.problem('SEMCACHE_ROUTE_CHEAP_MODEL and SEMCACHE_ROUTE_USE_CASES need SEMCACHE_ROUTE_CHEAP_UPSTREAM_URL');
  }
  const known = new Set([...useCases, 'other', 'none']);
  const unknown = routeUseCases.filter((useCase) => !known.has(useCase));
  if (unknown.length > 0) read.problem(`SEMCACHE_ROUTE_USE_CASES names use cases not in SEMCACHE_USE_CASES: ${unknown.join(', ')}`);
  return { cheapUpstreamUrl, cheapModel, useCases: routeUseCases };
}

export function readMetricsConfig(read: ConfigReader): MetricsConfig {
  const pricingFile = read.optionalString('PRICING_FILE', 'model prices and CP1KT targets, JSON or YAML (format: src/finops/README.md)');
  const useCases = read.list('USE_CASES', [], 'use cases accepted from `x-semcache-use-case` (others are `other`)');
  return {
    pricingFile,
    pricing: readPricing(read, pricingFile),
    windowSeconds: read.int('CP1KT_WINDOW_SECONDS', DEFAULT_CP1KT_WINDOW_SECONDS, 'sliding window of the CP1KT gauges and targets', {
      min: 60,
      max: 30 * 24 * 3600,
    }),
    tenantAliases: readAliases(read),
    allowTenantHeader: read.bool('ALLOW_TENANT_HEADER', false, 'honour `x-semcache-tenant` for the names of `SEMCACHE_TENANTS` and the aliases'),
    tenants: read.list('TENANTS', [], 'tenant names `x-semcache-tenant` may give'),
    useCases,
    embedCpuHourUsd: read.number('EMBED_CPU_HOUR_USD', DEFAULT_EMBED_CPU_HOUR_USD, 'price of a CPU hour, for the embedding cost', { min: 0 }),
    webhookUrl: read.optionalUrl(
      'CP1KT_WEBHOOK_URL',
      'POSTed on every CP1KT target breach and recovery (retried up to 3 times, 1-4 s apart, on no answer, 429 or 5xx; `semcache_cp1kt_webhook_deliveries_total` counts delivered, failed and superseded events)',
    ),
    route: readRoute(read, useCases),
  };
}
