// Per-request cache control: `cache-control: no-cache` (skip the lookup, store the fresh answer),
// `no-store` (look up, store nothing), `x-semcache-bypass: 1` (neither), `x-semcache-threshold`
// (a stricter or looser threshold, within the operator's bounds).
import type { IncomingHttpHeaders } from 'node:http';
import { SemcacheError } from '../errors.js';
import { firstHeader, REQUEST_HEADER } from '../semcache-headers.js';

export interface CacheControl {
  readonly bypass: boolean;
  readonly lookup: boolean;
  readonly store: boolean;
  readonly threshold: number;
}

export function readCacheControl(headers: IncomingHttpHeaders, bounds: { threshold: number; min: number; max: number }): CacheControl {
  const bypassHeader = firstHeader(headers, REQUEST_HEADER.bypass)?.trim().toLowerCase();
  const bypass = bypassHeader === '1' || bypassHeader === 'true';
  const directives = new Set(
    (firstHeader(headers, 'cache-control') ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
  );
  const requested = firstHeader(headers, REQUEST_HEADER.threshold);
  let threshold = bounds.threshold;
  if (requested !== undefined && requested.trim() !== '') {
    const value = Number(requested);
    if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
      throw new SemcacheError(
        'SEMCACHE_ERR_CACHE_THRESHOLD_OUT_OF_BOUNDS',
        `${REQUEST_HEADER.threshold} must be a number in [${bounds.min}, ${bounds.max}]; got ${JSON.stringify(requested)}.`,
        {
          param: REQUEST_HEADER.threshold,
        },
      );
    }
    threshold = value;
  }
  return { bypass, lookup: !bypass && !directives.has('no-cache'), store: !bypass && !directives.has('no-store'), threshold };
}
