// What the cache handler tells the dashboard of each lookup (its one observer hook): hits, and misses
// whose nearest candidate above the threshold was refused (near misses). Plain misses and bypasses
// are not kept: the metrics count them.
import type { LookupResult } from '../cache/cache-engine.js';
import type { LookupEvent } from '../dashboard/recent-lookups.js';
import type { CacheRequest } from './cache-request.js';

export type LookupObserver = (request: CacheRequest, result: LookupResult) => void;

/** `tenantName`: the alias of a key hash, if the operator named it. */
export function lookupObserver(record: (event: LookupEvent) => void, tenantName: (keyHash: string) => string | undefined): LookupObserver {
  return (request, result) => {
    if (result.kind === 'miss' && result.rejection === undefined) return;
    const { parsed } = request.call;
    const { keyHash, namespace } = request.tenancy;
    const tenant = `${tenantName(keyHash) ?? keyHash}${namespace === undefined ? '' : `/${namespace}`}`;
    const base = { endpoint: parsed.endpoint, model: parsed.body.model, prompt: request.key.promptText, tenant };
    if (result.kind === 'miss') {
      const { rejection } = result;
      if (rejection === undefined) return;
      record({
        ...base,
        kind: 'near-miss',
        matchedPrompt: undefined,
        entryId: rejection.entryId,
        similarity: rejection.similarity,
        supported: undefined,
        guard: rejection.guard,
        reason: rejection.reason,
      });
      return;
    }
    record({
      ...base,
      kind: result.kind,
      matchedPrompt: result.entry.value.text,
      entryId: result.entry.id,
      similarity: result.similarity,
      supported: result.supported,
      guard: undefined,
      reason: undefined,
    });
  };
}
