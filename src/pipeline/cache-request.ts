// The first stage of a cached request: what it asks of the cache (control headers), whose cache it
// may use (tenancy) and its key. Everything later stages need is read here, once.
import type { CompletionRequest } from './completion-routes.js';
import { readCacheControl, type CacheControl } from './control-headers.js';
import { resolveTenancy, type Tenancy } from './tenancy.js';
import { requestKey, type RequestKey } from '../cache/request-key.js';
import { wireFormatOf } from '../openai/wire-formats.js';
import { firstHeader } from '../semcache-headers.js';

/** What reading a request needs of the settings: threshold bounds for x-semcache-threshold, the
 * namespaces every key shares, and the embedder that keys name. */
export interface CacheKeyScope {
  readonly thresholds: { readonly threshold: number; readonly min: number; readonly max: number };
  readonly sharedNamespaces: readonly string[];
  readonly embedderId: string;
}

export interface CacheRequest {
  readonly call: CompletionRequest;
  /** performance.now() when the handler started: the request's total duration is measured from it. */
  readonly started: number;
  readonly tenancy: Tenancy;
  readonly key: RequestKey;
  readonly control: CacheControl;
  readonly streamed: boolean;
  /** The client asked for the usage chunk of a stream itself. */
  readonly includeUsage: boolean;
}

export function readRequest(call: CompletionRequest, scope: CacheKeyScope): CacheRequest {
  const { request, parsed } = call;
  const control = readCacheControl(request.headers, scope.thresholds);
  const tenancy = resolveTenancy(request.headers, scope.sharedNamespaces);
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const streamed = parsed.body.stream === true;
  return {
    call,
    started: performance.now(),
    tenancy,
    key: requestKey(parsed, { tenant: tenancy.tenant, embedderId: scope.embedderId, query }),
    control,
    streamed,
    includeUsage: streamed && wireFormatOf(parsed.endpoint).includeUsage(parsed.body),
  };
}

export function headerOf(request: CacheRequest, name: string): string | undefined {
  return firstHeader(request.call.request.headers, name);
}
