// The request path of the cached routes, as named stages:
//   readRequest -> key check -> (feedback) -> bypass | follow a leader | lookup -> serve | forwardAndStore
// Identical requests in flight wait for the first; every request is reported to the metrics once.
import type { FastifyReply } from 'fastify';
import { NOTHING_TIMED, type CacheEngine, type Hit, type LookupResult } from '../cache/cache-engine.js';
import type { ShadowRecord } from '../finops/metrics.js';
import { usageTokens } from '../openai/wire-formats.js';
import type { CompletionHandler } from './completion-routes.js';
import { readRequest, type CacheKeyScope, type CacheRequest } from './cache-request.js';
import type { CacheControl } from './control-headers.js';
import { takeFeedback } from './feedback.js';
import { forwardAndStore, forwardBypass, type ForwardDeps } from './forward-and-store.js';
import type { LookupObserver } from './lookup-observer.js';
import { answerWithoutCache } from './key-stage.js';
import { buildRecord } from './request-report.js';
import { serveHit } from './serve-hit.js';
import type { ShadowVerifier } from './shadow-verifier.js';
import type { SingleFlight } from './single-flight.js';
import { headersForUpstream } from '../upstream/relay-and-assemble.js';

export interface CacheHandlerDeps extends ForwardDeps {
  readonly engine: CacheEngine;
  readonly scope: Omit<CacheKeyScope, 'embedderId'>;
  readonly flights: SingleFlight<Hit>;
  readonly shadow: ShadowVerifier | undefined;
  readonly recordShadow: (record: ShadowRecord) => void;
  /** Told of every lookup's result (the dashboard's recent hits and near misses). */
  readonly observe?: LookupObserver | undefined;
}

/** The same rounding slack as the guard stage's, so a follower at the leader's threshold shares. */
const THRESHOLD_SLACK = 1e-9;

export function createCacheHandler(deps: CacheHandlerDeps): CompletionHandler {
  const { engine, flights } = deps;
  const scope: CacheKeyScope = { ...deps.scope, embedderId: engine.embedderId };

  /** A fraction of semantic hits is also answered upstream in the background, to measure agreement. */
  function shadowCheck(request: CacheRequest, hit: Hit): void {
    const { request: incoming, parsed } = request.call;
    deps.shadow?.maybeVerify({
      path: deps.upstream.pathFor(incoming.url),
      headers: headersForUpstream(incoming),
      body: parsed.body,
      endpoint: parsed.endpoint,
      cached: hit.entry.value.completion,
      onResult: (result, processed) => deps.recordShadow({ result, processed, base: buildRecord(request, { status: 'bypass', statusCode: 200 }) }),
    });
  }

  function serve(request: CacheRequest, hit: Hit): FastifyReply {
    deps.observe?.(request, hit);
    try {
      return serveHit(request, hit);
    } finally {
      const saved = usageTokens(hit.entry.value.completion);
      deps.record(buildRecord(request, { status: hit.kind, statusCode: 200, saved, similarity: hit.similarity, timings: hit.timings }));
      if (hit.kind === 'semantic-hit') shadowCheck(request, hit);
    }
  }

  /** An identical request already in flight: its hit, or the entry its miss stored, serves this one
   * too, if it meets this request's own threshold. */
  async function followLeader(request: CacheRequest, control: CacheControl): Promise<Hit | undefined> {
    const leader = flights.waitFor(request.key.exactKey);
    const shared = leader === undefined ? undefined : await leader;
    if (shared === undefined || (shared.kind === 'semantic-hit' && shared.supported < control.threshold - THRESHOLD_SLACK)) return undefined;
    // The leader's embedding was its own: this request cost none.
    return { ...shared, timings: NOTHING_TIMED };
  }

  return async (call) => {
    const request = readRequest(call, scope);
    // A hit never reaches the upstream, which is where keys are checked: so the key is, first.
    const refusal = await deps.keys.admit(request);
    if (refusal !== undefined) return answerWithoutCache(request, refusal, deps);
    const control = await takeFeedback(request, engine);
    if (control.bypass || request.key.bypassReason !== undefined) return forwardBypass(request, deps);
    if (control.lookup) {
      const shared = await followLeader(request, control);
      if (shared !== undefined) return serve(request, shared);
    }
    // Leading starts before the lookup, so that identical requests arriving while this one embeds
    // wait for it too.
    const settle = control.store ? flights.lead(request.key.exactKey) : undefined;
    let result: LookupResult;
    try {
      result = control.lookup ? await engine.lookup(request.key, control.threshold, { store: control.store }) : await engine.prepareMiss(request.key);
    } catch (error) {
      settle?.(undefined);
      throw error;
    }
    if (result.kind === 'miss') {
      deps.observe?.(request, result);
      return forwardAndStore(request, result, settle, deps);
    }
    settle?.(result);
    return serve(request, result);
  };
}
