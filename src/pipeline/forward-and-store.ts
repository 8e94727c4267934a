// Requests the cache does not answer go upstream: the primary, or a cheaper route during a CP1KT
// breach. A miss's whole answer from the primary is stored (a cheaper model's answer never is) and
// shared with identical requests that waited for it; every forwarded request is reported once,
// when its exchange ends, whatever the end.
import type { FastifyReply } from 'fastify';
import { NOTHING_TIMED, type CacheEngine, type CacheEntry, type Hit, type Miss } from '../cache/cache-engine.js';
import { PRIMARY_ROUTE, type Route, type RoutePolicy } from '../finops/cheap-route.js';
import { isStorable, usageTokens, wireFormatOf } from '../openai/wire-formats.js';
import { REQUEST_HEADER, RESPONSE_HEADER } from '../semcache-headers.js';
import type { HeaderMap } from '../upstream/hop-by-hop.js';
import { exchange, type ExchangeOutcome } from '../upstream/relay-and-assemble.js';
import type { Upstream } from '../upstream/upstream.js';
import { headerOf, type CacheRequest } from './cache-request.js';
import { buildRecord, type ReportFields } from './request-report.js';
import type { RequestRecord } from '../finops/request-record.js';
import type { KeyStage } from './key-stage.js';

export interface ForwardDeps {
  readonly upstream: Upstream;
  readonly cheapUpstream: Upstream | undefined;
  readonly routeFor: RoutePolicy;
  readonly engine: CacheEngine;
  readonly record: (record: RequestRecord) => void;
  readonly trackInFlight: (delta: number) => void;
  /** Learns from the primary upstream's answers which API keys it accepts. */
  readonly keys: KeyStage;
}

/** Releases the requests waiting on this one with what it got: the entry it stored, or nothing. */
export type SettleFlight = (hit: Hit | undefined) => void;

/** The body sent upstream: the client's bytes, unless a streamed answer must be asked for its
 * usage (to count tokens when the client did not ask) or a cheaper route serves another model. */
function bodyForUpstream(request: CacheRequest, model: string): { body: Buffer; dropUsageChunk: boolean } {
  const { parsed } = request.call;
  const withUsage = request.streamed ? wireFormatOf(parsed.endpoint).askStreamUsage(parsed.body) : undefined;
  if (withUsage === undefined && model === parsed.body.model) return { body: request.call.raw, dropUsageChunk: false };
  return { body: Buffer.from(JSON.stringify({ ...(withUsage ?? parsed.body), model })), dropUsageChunk: withUsage !== undefined };
}

function chooseRoute(request: CacheRequest, deps: ForwardDeps): { route: Route; upstream: Upstream } {
  const decided = deps.routeFor({
    model: request.call.parsed.body.model,
    useCaseHeader: headerOf(request, REQUEST_HEADER.useCase),
    priority: headerOf(request, REQUEST_HEADER.priority),
  });
  return decided.name === 'cheap' && deps.cheapUpstream !== undefined
    ? { route: decided, upstream: deps.cheapUpstream }
    : { route: PRIMARY_ROUTE, upstream: deps.upstream };
}

interface Forwarding {
  readonly status: 'miss' | 'bypass';
  readonly headers: HeaderMap;
  /** Assemble the whole answer to store it (a miss that may be stored). */
  readonly store: boolean;
  /** What the report says beyond the exchange itself, asked once the exchange has ended. */
  readonly fields?: () => Pick<ReportFields, 'rejection' | 'timings'>;
  /** Called once when the exchange ends; a whole answer's headers wait for what it returns. */
  readonly onEnd?: (outcome: ExchangeOutcome, route: Route) => Promise<void> | undefined;
}

function forward(request: CacheRequest, forwarding: Forwarding, deps: ForwardDeps): Promise<FastifyReply> {
  const { route, upstream } = chooseRoute(request, deps);
  const { body, dropUsageChunk } = bodyForUpstream(request, route.name === 'cheap' ? route.model : request.call.parsed.body.model);
  deps.trackInFlight(1);
  return exchange({
    request: request.call.request,
    reply: request.call.reply,
    upstream,
    endpoint: request.call.parsed.endpoint,
    body,
    streamed: request.streamed,
    dropUsageChunk,
    assemble: forwarding.store && route.name === 'primary',
    extraHeaders: { [RESPONSE_HEADER.status]: forwarding.status, [RESPONSE_HEADER.route]: route.name, ...forwarding.headers },
    onEnd(outcome) {
      deps.trackInFlight(-1);
      // A cheaper upstream's word on a key says nothing of the primary's.
      if (route.name === 'primary') deps.keys.learn(request, outcome.statusCode);
      const report = (): void => {
        const processed = usageTokens(outcome.completion);
        deps.record(buildRecord(request, { status: forwarding.status, statusCode: outcome.statusCode, processed, ...forwarding.fields?.(), outcome, route }));
      };
      let storing: Promise<void> | undefined;
      try {
        storing = forwarding.onEnd?.(outcome, route);
      } finally {
        // Reported even if storing failed.
        if (storing === undefined) report();
      }
      return storing?.finally(report);
    },
  });
}

export function forwardBypass(request: CacheRequest, deps: ForwardDeps, reason = request.key.bypassReason): Promise<FastifyReply> {
  return forward(request, { status: 'bypass', headers: reason === undefined ? {} : { [RESPONSE_HEADER.bypassReason]: reason }, store: false }, deps);
}

/** A miss: forwarded, and its whole answer stored when `settle` is given (the request may store). */
export async function forwardAndStore(request: CacheRequest, miss: Miss, settle: SettleFlight | undefined, deps: ForwardDeps): Promise<FastifyReply> {
  const { reply } = request.call;
  let stored: CacheEntry | undefined;
  let timings = miss.timings;
  const storeWhole = (outcome: ExchangeOutcome, route: Route, vector: Float32Array | undefined): void => {
    const completion = outcome.completion;
    if (settle === undefined || route.name !== 'primary' || outcome.statusCode !== 200 || completion === undefined || !isStorable(completion)) return;
    stored = deps.engine.store(request.key, completion, vector, { tenant: request.tenancy.tenant, model: request.call.parsed.body.model });
    // A whole (non-streamed) answer is stored before its headers go out: say which entry it is.
    if (stored !== undefined && !reply.raw.headersSent) reply.header(RESPONSE_HEADER.entryId, String(stored.id));
  };
  const storeAndRelease = (outcome: ExchangeOutcome, route: Route, vector: Float32Array | undefined): void => {
    try {
      storeWhole(outcome, route, vector);
    } finally {
      // Waiters are released even if storing failed.
      settle?.(stored === undefined ? undefined : { kind: 'exact-hit', entry: stored, similarity: 1, supported: 1, timings: NOTHING_TIMED });
    }
  };
  const forwarding: Forwarding = {
    status: 'miss',
    headers: miss.rejection === undefined ? {} : { [RESPONSE_HEADER.guard]: miss.rejection.guard },
    store: settle !== undefined,
    fields: () => ({ rejection: miss.rejection, timings }),
    onEnd(outcome, route) {
      if (miss.later === undefined) return void storeAndRelease(outcome, route, miss.vector);
      // The prompt was embedded while the upstream answered: the answer is stored once both are done.
      return miss.later.then((embedded) => {
        timings = embedded.timings;
        storeAndRelease(outcome, route, embedded.vector);
      });
    },
  };
  try {
    return await forward(request, forwarding, deps);
  } catch (error) {
    // exchange ends every failure through onEnd; this only makes sure no waiter is left hanging.
    settle?.(undefined);
    throw error;
  }
}
