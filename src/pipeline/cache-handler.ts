// The request path of the two cached routes: control headers, tenancy and key; a hit served in
// the form asked for; a miss forwarded (identical requests in flight wait for it) and its whole
// answer stored; every request reported to the metrics.
import type { FastifyReply } from 'fastify';
import type { CacheConfig } from '../config.js';
import type { CompletionHandler, CompletionRequest } from './completion-routes.js';
import type { HeaderMap } from '../upstream/headers.js';
import type { Upstream } from '../upstream/upstream.js';
import type { RequestRecord } from '../finops/request-record.js';
import type { Route, RouteRequest, ShadowRecord } from '../finops/metrics.js';
import type { CacheEngine, CacheEntry, GuardRejection, LookupResult, LookupTimings } from '../cache/cache-engine.js';
import { isStorable, type CachedCompletion } from '../openai/cached-completion.js';
import { readCacheControl } from './control-headers.js';
import { freshCompletionId, renderJson, renderSse } from '../openai/render-response.js';
import { requestKey, type RequestKey } from '../cache/request-key.js';
import type { SingleFlight } from './single-flight.js';
import { buildRecord, header, PRIMARY, tokensOf, type ReportFields, type RequestState } from './request-report.js';
import type { ShadowVerifier } from './shadow-verifier.js';
import { resolveTenancy } from './tenancy.js';
import { exchange, headersForUpstream, type ExchangeOutcome } from '../upstream/relay-and-assemble.js';

export interface CacheHandlerDeps {
  readonly engine: CacheEngine;
  readonly upstream: Upstream;
  readonly config: CacheConfig;
  readonly flights: SingleFlight<FlightResult>;
  readonly record: (record: RequestRecord) => void;
  /** Where a request that must go upstream goes: the primary, or a cheaper route while a CP1KT
   * target is breached. */
  readonly routeFor: (request: RouteRequest) => Route;
  readonly cheapUpstream: Upstream | undefined;
  readonly trackInFlight: (delta: number) => void;
  readonly shadow: ShadowVerifier | undefined;
  readonly recordShadow: (record: ShadowRecord) => void;
}

/** What a leader shares with identical requests that waited for it. */
export interface FlightResult {
  readonly entry: CacheEntry;
  readonly status: 'exact-hit' | 'semantic-hit';
  readonly similarity: number;
  /** The similarity the hit was judged by (after the support guard's charge). */
  readonly supported: number;
}

/** The body sent upstream: the client's bytes, unless a streamed answer must be asked for its
 * usage (to count tokens when the client did not ask) or a cheaper route serves another model. */
function bodyForUpstream(state: RequestState, model: string): { body: Buffer; dropUsageChunk: boolean } {
  const askUsage = state.streamed && !state.includeUsage;
  const original = state.call.parsed.body;
  if (!askUsage && model === original.model) return { body: state.call.raw, dropUsageChunk: false };
  const body = askUsage ? { ...original, model, stream_options: { ...(original.stream_options ?? {}), include_usage: true } } : { ...original, model };
  return { body: Buffer.from(JSON.stringify(body)), dropUsageChunk: askUsage };
}

export function createCacheHandler(deps: CacheHandlerDeps): CompletionHandler {
  const { engine, upstream, config, flights } = deps;

  const report = (state: RequestState, fields: ReportFields): void => deps.record(buildRecord(state, fields));

  function shadowCheck(state: RequestState, cached: CachedCompletion): void {
    const { request, parsed } = state.call;
    deps.shadow?.maybeVerify({
      path: upstream.pathFor(request.url),
      headers: headersForUpstream(request),
      body: parsed.body,
      endpoint: parsed.endpoint,
      cached,
      onResult: (result, processed) => deps.recordShadow({ result, processed, base: buildRecord(state, { status: 'bypass', statusCode: 200 }) }),
    });
  }

  /** `x-semcache-feedback: wrong` with the `x-semcache-entry-id` a hit returned: that entry is never
   * again served for this prompt, and this request gets a fresh answer. Only an entry of the
   * request's own partition can be reported, so no one can touch another tenant's entries. */
  function takeFeedback(state: RequestState, key: RequestKey): boolean {
    if (header(state, 'x-semcache-feedback')?.toLowerCase() !== 'wrong') return false;
    const id = Number(header(state, 'x-semcache-entry-id'));
    const entry = Number.isSafeInteger(id) ? engine.entries.getById(id) : undefined;
    const accepted = entry !== undefined && entry.partition === key.context && key.promptText !== undefined;
    if (accepted && key.promptText !== undefined) engine.block(id, key.promptText);
    state.call.reply.header('x-semcache-feedback', accepted ? 'recorded' : 'ignored');
    return true;
  }

  function serveHit(state: RequestState, entry: CacheEntry, status: 'exact-hit' | 'semantic-hit', similarity: number, supported: number, timings?: LookupTimings): FastifyReply {
    const { reply, request } = state.call;
    const completion = entry.value.completion;
    const options = { id: freshCompletionId(completion), created: Math.floor(Date.now() / 1000) };
    reply.headers({
      'x-semcache-status': status,
      'x-semcache-similarity': similarity.toFixed(4),
      'x-semcache-supported-similarity': supported.toFixed(4),
      'x-semcache-entry-id': String(entry.id),
      'x-request-id': request.id,
    });
    report(state, { status, statusCode: 200, saved: tokensOf(completion), similarity, timings });
    if (status === 'semantic-hit') shadowCheck(state, completion);
    if (!state.streamed) return reply.send(renderJson(completion, options));
    return reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send(renderSse(completion, { ...options, includeUsage: state.includeUsage }));
  }

  /** Forwards upstream (the primary, or the cheap route during a CP1KT breach). `onWhole` gets a
   * complete answer of the primary only: a cheaper model's answer is never cached for the primary. */
  function forward(
    state: RequestState,
    status: 'miss' | 'bypass',
    extraHeaders: HeaderMap,
    onWhole: ((completion: CachedCompletion) => void) | undefined,
    onDone: (outcome: ExchangeOutcome, route: Route) => void,
  ): Promise<FastifyReply> {
    const { parsed } = state.call;
    const decided = deps.routeFor({ model: parsed.body.model, useCaseHeader: header(state, 'x-semcache-use-case'), priority: header(state, 'x-semcache-priority') });
    const route = decided.name === 'cheap' && deps.cheapUpstream !== undefined ? decided : PRIMARY;
    const { body, dropUsageChunk } = bodyForUpstream(state, route.name === 'cheap' ? route.model : parsed.body.model);
    deps.trackInFlight(1);
    return exchange({
      request: state.call.request,
      reply: state.call.reply,
      upstream: route.name === 'cheap' && deps.cheapUpstream !== undefined ? deps.cheapUpstream : upstream,
      endpoint: parsed.endpoint,
      body,
      streamed: state.streamed,
      dropUsageChunk,
      assemble: onWhole !== undefined && route.name === 'primary',
      extraHeaders: { 'x-semcache-status': status, 'x-semcache-route': route.name, ...extraHeaders },
      onDone(outcome) {
        deps.trackInFlight(-1);
        const whole = outcome.statusCode === 200 && outcome.completion !== undefined && isStorable(outcome.completion);
        try {
          if (whole && route.name === 'primary' && outcome.completion !== undefined) onWhole?.(outcome.completion);
        } finally {
          // Waiters are released and the request reported even if storing failed.
          onDone(outcome, route);
        }
      },
    });
  }

  async function miss(
    state: RequestState,
    key: RequestKey,
    settle: ((result: FlightResult | undefined) => void) | undefined,
    lookup: { vector: Float32Array | undefined; rejection: GuardRejection | undefined; timings: LookupTimings },
  ): Promise<FastifyReply> {
    const extra: HeaderMap = lookup.rejection === undefined ? {} : { 'x-semcache-guard': lookup.rejection.guard };
    let stored: CacheEntry | undefined;
    try {
      return await forward(
        state,
        'miss',
        extra,
        settle === undefined
          ? undefined
          : (completion) => {
              stored = engine.store(key, completion, lookup.vector, { tenant: state.tenancy.tenant, model: state.call.parsed.body.model });
              // A whole (non-streamed) answer is stored before its headers go out: say which entry it is.
              if (stored !== undefined && !state.call.reply.raw.headersSent) state.call.reply.header('x-semcache-entry-id', String(stored.id));
            },
        (outcome, route) => {
          settle?.(stored === undefined ? undefined : { entry: stored, status: 'exact-hit', similarity: 1, supported: 1 });
          report(state, { status: 'miss', statusCode: outcome.statusCode, processed: tokensOf(outcome.completion), rejection: lookup.rejection, timings: lookup.timings, outcome, route });
        },
      );
    } catch (error) {
      // exchange reports every failure through onDone; this only makes sure no waiter is left hanging.
      settle?.(undefined);
      throw error;
    }
  }

  return async (call) => {
    const { request, parsed } = call;
    const requested = readCacheControl(request.headers, { threshold: config.threshold, min: config.thresholdMin, max: config.thresholdMax });
    const state: RequestState = {
      call,
      started: performance.now(),
      tenancy: resolveTenancy(request.headers, config.sharedNamespaces),
      streamed: parsed.body.stream === true,
      includeUsage: parsed.body.stream === true && parsed.body.stream_options?.include_usage === true,
    };
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const key = requestKey(parsed, { tenant: state.tenancy.tenant, embedderId: engine.embedder.modelId, query });
    // Feedback on a wrong hit asks for a fresh answer: no lookup, and the answer is stored.
    const control = !requested.bypass && takeFeedback(state, key) ? { ...requested, lookup: false } : requested;

    if (control.bypass || key.bypassReason !== undefined) {
      const extra: HeaderMap = key.bypassReason === undefined ? {} : { 'x-semcache-bypass-reason': key.bypassReason };
      return forward(state, 'bypass', extra, undefined, (outcome, route) =>
        report(state, { status: 'bypass', statusCode: outcome.statusCode, processed: tokensOf(outcome.completion), outcome, route }),
      );
    }
    if (control.lookup) {
      const leader = flights.waitFor(key.exactKey);
      const shared = leader === undefined ? undefined : await leader;
      // A leader's semantic hit serves this request only if it meets this request's own threshold.
      // The same rounding slack as the guard stage's, so a follower at the leader's threshold shares.
      if (shared !== undefined && (shared.status === 'exact-hit' || shared.supported >= control.threshold - 1e-9)) {
        return serveHit(state, shared.entry, shared.status, shared.similarity, shared.supported);
      }
    }
    // Leading starts before the lookup, so that identical requests arriving while this one embeds
    // wait for it too; they get what it gets: its hit, or the entry its miss stored.
    const settle = control.store ? flights.lead(key.exactKey) : undefined;
    let result: LookupResult;
    try {
      result = await engine.lookup(key, control);
    } catch (error) {
      settle?.(undefined);
      throw error;
    }
    if (result.kind === 'miss') return miss(state, key, settle, result);
    const semantic = result.kind === 'semantic-hit' ? result : undefined;
    const similarity = semantic?.similarity ?? 1;
    const supported = semantic?.supported ?? 1;
    settle?.({ entry: result.entry, status: result.kind, similarity, supported });
    return serveHit(state, result.entry, result.kind, similarity, supported, semantic?.timings);
  };
}
