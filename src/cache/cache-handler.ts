// The request path of the two cached routes: control headers, tenancy and key; a hit served in
// the form asked for; a miss forwarded (identical requests in flight wait for it) and its whole
// answer stored; every request reported to the metrics.
import type { FastifyReply } from 'fastify';
import type { CacheConfig } from '../config.js';
import type { CompletionHandler, CompletionRequest } from '../proxy/completion-routes.js';
import type { HeaderMap } from '../proxy/headers.js';
import type { Upstream } from '../proxy/upstream.js';
import type { CacheStatus, RequestRecord, TokenCounts } from '../metrics/request-record.js';
import type { Route, RouteRequest } from '../metrics/metrics.js';
import type { CacheEngine, CacheEntry, GuardRejection, LookupResult, LookupTimings } from './cache-engine.js';
import { isStorable, type CachedCompletion } from './cached-completion.js';
import { readCacheControl } from './control-headers.js';
import { freshCompletionId, renderJson, renderSse } from './render-response.js';
import { requestKey, type RequestKey } from './request-key.js';
import type { SingleFlight } from './single-flight.js';
import { resolveTenancy, type Tenancy } from './tenancy.js';
import { exchange, type ExchangeOutcome } from './upstream-exchange.js';

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
}

/** What a leader shares with identical requests that waited for it. */
export interface FlightResult {
  readonly entry: CacheEntry;
  readonly status: 'exact-hit' | 'semantic-hit';
  readonly similarity: number;
}

interface RequestState {
  readonly call: CompletionRequest;
  readonly started: number;
  readonly tenancy: Tenancy;
  readonly streamed: boolean;
  readonly includeUsage: boolean;
}

function tokens(completion: CachedCompletion | undefined): TokenCounts | undefined {
  const usage = completion?.usage;
  return usage === undefined ? undefined : { input: usage.prompt_tokens, output: usage.completion_tokens };
}

function header(state: RequestState, name: string): string | undefined {
  const value = state.call.request.headers[name];
  return Array.isArray(value) ? value[0] : value;
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

const PRIMARY: Route = { name: 'primary' };

export function createCacheHandler(deps: CacheHandlerDeps): CompletionHandler {
  const { engine, upstream, config, flights } = deps;

  function report(
    state: RequestState,
    fields: { status: CacheStatus; statusCode: number; processed?: TokenCounts; saved?: TokenCounts; similarity?: number; rejection?: GuardRejection; timings?: LookupTimings; outcome?: ExchangeOutcome; route?: Route },
  ): void {
    const { parsed } = state.call;
    const route = fields.route ?? PRIMARY;
    deps.record({
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
      embedComputeMs: fields.timings?.embedMs ?? 0,
    });
  }

  function serveHit(state: RequestState, entry: CacheEntry, status: 'exact-hit' | 'semantic-hit', similarity: number, timings?: LookupTimings): FastifyReply {
    const { reply, request } = state.call;
    const completion = entry.value.completion;
    const options = { id: freshCompletionId(completion), created: Math.floor(Date.now() / 1000) };
    reply.headers({ 'x-semcache-status': status, 'x-semcache-similarity': similarity.toFixed(4), 'x-semcache-entry-id': String(entry.id), 'x-request-id': request.id });
    report(state, { status, statusCode: 200, saved: tokens(completion), similarity, timings });
    if (!state.streamed) return reply.send(renderJson(completion, options));
    return reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send(renderSse(completion, { ...options, includeUsage: state.includeUsage }));
  }

  /** Forwards upstream (the primary, or the cheap route during a CP1KT breach). `onWhole` gets a
   * complete answer of the primary only: a cheaper model's answer is never cached for the primary. */
  function forward(state: RequestState, status: 'miss' | 'bypass', extraHeaders: HeaderMap, onWhole: (completion: CachedCompletion) => void, onDone: (outcome: ExchangeOutcome, route: Route) => void): Promise<FastifyReply> {
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
      extraHeaders: { 'x-semcache-status': status, 'x-semcache-route': route.name, ...extraHeaders },
      onDone(outcome) {
        deps.trackInFlight(-1);
        const whole = outcome.statusCode === 200 && outcome.completion !== undefined && isStorable(outcome.completion);
        if (whole && route.name === 'primary' && outcome.completion !== undefined) onWhole(outcome.completion);
        onDone(outcome, route);
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
        (completion) => {
          if (settle !== undefined) stored = engine.store(key, completion, lookup.vector, { tenant: state.tenancy.tenant, model: state.call.parsed.body.model });
        },
        (outcome, route) => {
          settle?.(stored === undefined ? undefined : { entry: stored, status: 'exact-hit', similarity: 1 });
          report(state, { status: 'miss', statusCode: outcome.statusCode, processed: tokens(outcome.completion), rejection: lookup.rejection, timings: lookup.timings, outcome, route });
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
    const control = readCacheControl(request.headers, { threshold: config.threshold, min: config.thresholdMin, max: config.thresholdMax });
    const state: RequestState = {
      call,
      started: performance.now(),
      tenancy: resolveTenancy(request.headers, config.sharedNamespaces),
      streamed: parsed.body.stream === true,
      includeUsage: parsed.body.stream === true && parsed.body.stream_options?.include_usage === true,
    };
    const key = requestKey(parsed, { tenant: state.tenancy.tenant, embedderId: engine.embedder.modelId });

    if (control.bypass || key.bypassReason !== undefined) {
      const extra: HeaderMap = key.bypassReason === undefined ? {} : { 'x-semcache-bypass-reason': key.bypassReason };
      return forward(state, 'bypass', extra, () => undefined, (outcome, route) =>
        report(state, { status: 'bypass', statusCode: outcome.statusCode, processed: tokens(outcome.completion), outcome, route }),
      );
    }
    if (control.lookup) {
      const leader = flights.waitFor(key.exactKey);
      const shared = leader === undefined ? undefined : await leader;
      if (shared !== undefined) return serveHit(state, shared.entry, shared.status, shared.similarity);
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
    const similarity = result.kind === 'semantic-hit' ? result.similarity : 1;
    settle?.({ entry: result.entry, status: result.kind, similarity });
    return serveHit(state, result.entry, result.kind, similarity, result.kind === 'semantic-hit' ? result.timings : undefined);
  };
}
