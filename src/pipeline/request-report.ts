// The RequestRecord a cached-route request reports to the metrics, once, when it ends.
import type { GuardRejection, LookupTimings } from '../cache/cache-engine.js';
import { PRIMARY_ROUTE, type Route } from '../finops/cheap-route.js';
import type { CacheStatus, RequestRecord, TokenCounts } from '../finops/request-record.js';
import { REQUEST_HEADER } from '../semcache-headers.js';
import type { ExchangeOutcome } from '../upstream/relay-and-assemble.js';
import { headerOf, type CacheRequest } from './cache-request.js';

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

export function buildRecord(request: CacheRequest, fields: ReportFields): RequestRecord {
  const { parsed } = request.call;
  const route = fields.route ?? PRIMARY_ROUTE;
  return {
    endpoint: parsed.endpoint,
    model: parsed.body.model,
    servedModel: route.name === 'cheap' ? route.model : parsed.body.model,
    keyHash: request.tenancy.keyHash,
    tenantHeader: headerOf(request, REQUEST_HEADER.tenant),
    useCaseHeader: headerOf(request, REQUEST_HEADER.useCase),
    cacheStatus: fields.status,
    statusCode: fields.statusCode,
    processed: fields.processed,
    saved: fields.saved,
    similarity: fields.similarity,
    guardRejected: fields.rejection?.guard,
    route: route.name,
    durations: {
      totalMs: performance.now() - request.started,
      firstByteMs: fields.outcome?.firstByteMs,
      upstreamMs: fields.outcome?.upstreamMs,
      embedMs: fields.timings?.embedMs,
      searchMs: fields.timings?.searchMs,
    },
    embedComputeMs: fields.timings?.embedComputeMs ?? 0,
  };
}
