// State shared by the simulator's routes and hooks: its options, stats, fault dice, and what each
// in-flight request carries between the hooks and its handler.

import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FaultKnobs } from './fault-header.js';
import type { KeyPolicy } from './key-policy.js';
import { createPrng, type Prng } from './prng.js';
import type { SimOptions } from './sim-options.js';
import type { SimRequestRecord, SimStats } from './sim-stats.js';

export interface SimExchange {
  record: SimRequestRecord;
  /** The process options with this request's `x-sim-fault` overrides applied. */
  knobs: FaultKnobs;
  /** Set when the simulator itself breaks the connection, so it is not counted as a client abort. */
  deliberateClose: boolean;
}

export interface SimContext {
  options: Readonly<SimOptions>;
  stats: SimStats;
  rollDice: Prng;
  exchanges: WeakMap<FastifyRequest, SimExchange>;
  keys: KeyPolicy;
  /** OpenAI-like ids (`chatcmpl-…`), unique per process without per-request randomness. */
  nextId(prefix: string): string;
  /** Responses stored (`store`, true by default), by id, for `previous_response_id` and GET. */
  storedResponses: Map<string, Record<string, unknown>>;
}

export function createSimContext(options: Readonly<SimOptions>, stats: SimStats): SimContext {
  const processTag = randomBytes(6).toString('hex');
  let counter = 0;
  return {
    options,
    stats,
    rollDice: createPrng(options.seed),
    exchanges: new WeakMap(),
    storedResponses: new Map(),
    keys: { refused: new Set(options.refusedKeys), requireKey: options.requireKey },
    nextId: (prefix) => `${prefix}-sim${processTag}${(counter++).toString(36)}`,
  };
}

/** The request's exchange; the onRequest hook creates one for every `/v1` request. */
export function exchangeOf(context: SimContext, request: FastifyRequest): SimExchange {
  const exchange = context.exchanges.get(request);
  if (exchange === undefined) throw new Error(`no simulator exchange for ${request.method} ${request.url}`);
  return exchange;
}
