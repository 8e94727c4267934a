// What the request path tells the metrics about each completed cached-route request.
import type { Endpoint } from '../openai/types.js';

export type CacheStatus = 'exact-hit' | 'semantic-hit' | 'miss' | 'bypass';

export interface TokenCounts {
  readonly input: number;
  readonly output: number;
}

export interface RequestRecord {
  readonly endpoint: Endpoint;
  /** The model the client asked for. */
  readonly model: string;
  /** The model that answered when routing sent the request to a cheaper one; else the same. */
  readonly servedModel: string;
  /** Hash of the API key (never the key itself), or 'anonymous'. */
  readonly keyHash: string;
  /** x-semcache-tenant as sent, when present; the metrics decide whether to honour it. */
  readonly tenantHeader: string | undefined;
  /** x-semcache-use-case as sent, when present. */
  readonly useCaseHeader: string | undefined;
  readonly cacheStatus: CacheStatus;
  readonly statusCode: number;
  /** Tokens the upstream processed for this request (misses and bypasses that completed). */
  readonly processed: TokenCounts | undefined;
  /** Tokens served from the cache instead of the upstream (hits): the cached answer's usage. */
  readonly saved: TokenCounts | undefined;
  /** Cosine similarity of a semantic hit. */
  readonly similarity: number | undefined;
  /** Name of the guard that rejected the nearest candidate, when one did. */
  readonly guardRejected: string | undefined;
  /** Which upstream answered: 'primary' or the name of a cheaper route. */
  readonly route: string;
  readonly durations: {
    readonly totalMs: number;
    readonly firstByteMs: number | undefined;
    readonly upstreamMs: number | undefined;
    readonly embedMs: number | undefined;
    readonly searchMs: number | undefined;
  };
  /** Compute time the embedder spent on this request's text (its share of a batch), for the
   * embedding cost; 0 when nothing was embedded (exact hits, bypasses). */
  readonly embedComputeMs: number;
}
