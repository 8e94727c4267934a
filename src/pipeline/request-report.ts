// What the cache handler knows of one request, and the RequestRecord it reports to the metrics.
import type { CompletionRequest } from './completion-routes.js';
import type { Route } from '../finops/metrics.js';
import type { CacheStatus, RequestRecord, TokenCounts } from '../finops/request-record.js';
import type { GuardRejection, LookupTimings } from '../cache/cache-engine.js';
import type { CachedCompletion } from '../openai/cached-completion.js';
import type { Tenancy } from './tenancy.js';
import type { ExchangeOutcome } from '../upstream/relay-and-assemble.js';

export interface RequestState {
  readonly call: CompletionRequest;
  readonly started: number;
  readonly tenancy: Tenancy;
  readonly streamed: boolean;
  readonly includeUsage: boolean;
}

export interface ReportFields {
  readonly status: CacheStatus;
  readonly statusCode: number;
  readonly processed?: TokenCounts | undefined;
  readonly saved?: TokenCounts | undefined;
  readonly similarity?: number;
  readonly rejection?: GuardRejection | undefined;
  readonly timings?: LookupTimings | undefined;
  readonly outcome?: ExchangeOutcome;
  readonly route?: Route;
}

export const PRIMARY: Route = { name: 'primary' };

export function tokensOf(completion: CachedCompletion | undefined): TokenCounts | undefined {
  const usage = completion?.usage;
  return usage === undefined ? undefined : { input: usage.prompt_tokens, output: usage.completion_tokens };
}

export function header(state: RequestState, name: string): string | undefined {
  const value = state.call.request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function buildRecord(state: RequestState, fields: ReportFields): RequestRecord {
  const { parsed } = state.call;
  const route = fields.route ?? PRIMARY;
  return {
    endpoint: parsed.endpoint,
    model: parsed.body.model,
    servedModel: route.name === 'cheap' ? route.model : parsed.body.model,
    keyHash: state.tenancy.keyHash,
    tenantHeader: header(state, 'x-semcache-tenant'),
    useCaseHeader: header(state, 'x-semcache-use-case'),
    cacheStatus: fields.status,
    statusCode: fields.statusCode,
    processed: fields.processed,
    saved: fields.saved,
    similarity: fields.similarity,
    guardRejected: fields.rejection?.guard,
    route: route.name,
    durations: {
      totalMs: performance.now() - state.started,
      firstByteMs: fields.outcome?.firstByteMs,
      upstreamMs: fields.outcome?.upstreamMs,
      embedMs: fields.timings?.embedMs,
      searchMs: fields.timings?.searchMs,
    },
    embedComputeMs: fields.timings?.embedComputeMs ?? 0,
  };
}
