// The headers semcache reads from clients and adds to its answers (README, "Using it"), named once.
import type { IncomingHttpHeaders } from 'node:http';

/** Request headers a client may send. */
export const REQUEST_HEADER = {
  bypass: 'x-semcache-bypass',
  threshold: 'x-semcache-threshold',
  namespace: 'x-semcache-namespace',
  tenant: 'x-semcache-tenant',
  useCase: 'x-semcache-use-case',
  priority: 'x-semcache-priority',
  feedback: 'x-semcache-feedback',
  entryId: 'x-semcache-entry-id',
} as const;

/** Response headers semcache adds on the cached routes. */
export const RESPONSE_HEADER = {
  status: 'x-semcache-status',
  similarity: 'x-semcache-similarity',
  supportedSimilarity: 'x-semcache-supported-similarity',
  entryId: 'x-semcache-entry-id',
  guard: 'x-semcache-guard',
  bypassReason: 'x-semcache-bypass-reason',
  route: 'x-semcache-route',
  feedback: 'x-semcache-feedback',
} as const;

/** Every semcache header starts so; none of them is forwarded upstream. */
export const SEMCACHE_HEADER_PREFIX = 'x-semcache-';

/** A header's value, the first one when it was sent several times. */
export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
