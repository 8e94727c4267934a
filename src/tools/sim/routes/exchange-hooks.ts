// Hooks run on every `/v1` request: record it in the stats, count how its response ends, and apply
// the injected faults that come before any answer (stall, reset, error).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorKindForStatus, rollFault } from '../fault-dice.js';
import { FAULT_HEADER, parseFaultHeader } from '../fault-header.js';
import { keyRefusal } from '../key-policy.js';
import { openAIError } from '../openai-format.js';
import { resetConnection, sendTruncatedJson, waitWhileOpen } from '../response-writer.js';
import type { SimContext, SimExchange } from '../sim-context.js';
import { recordBody, recordRequest } from '../sim-stats.js';

export function registerExchangeHooks(app: FastifyInstance, context: SimContext): void {
  const { options, stats } = context;

  app.addHook('onRequest', async (request, reply) => {
    const query = request.url.indexOf('?');
    const path = query >= 0 ? request.url.slice(0, query) : request.url;
    const exchange: SimExchange = {
      record: recordRequest(stats, path, request.headers),
      knobs: options,
      deliberateClose: false,
    };
    context.exchanges.set(request, exchange);
    const res = reply.raw;
    res.once('close', () => {
      // `stats` may have been reset meanwhile; it is the same object, so count into it as it is now.
      if (res.writableFinished) stats.completed++;
      else if (!exchange.deliberateClose) stats.aborted++;
    });
  });

  app.addHook('preHandler', async (request, reply) => {
    const exchange = context.exchanges.get(request);
    if (exchange === undefined) return;
    recordBody(stats, exchange.record, request.body);
    // The key first, as a real server checks it before doing any work.
    const refusal = keyRefusal(context.keys, request.headers);
    if (refusal !== undefined) {
      stats.unauthorized++;
      return reply.code(401).send(refusal);
    }
    const header = parseFaultHeader(request.headers[FAULT_HEADER]);
    if (!header.ok) {
      return reply.code(400).send(openAIError(header.message, 'invalid_request_error', FAULT_HEADER, 'invalid_value'));
    }
    const knobs = { ...options, ...header.overrides };
    exchange.knobs = knobs;
    return applyEarlyFaults(context, exchange, reply);
  });
}

async function applyEarlyFaults(context: SimContext, exchange: SimExchange, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { knobs } = exchange;
  const { stats } = context;
  if (knobs.stallMs > 0) {
    stats.faults.stalls++;
    if (!(await waitWhileOpen(reply.raw, knobs.stallMs))) {
      reply.hijack(); // the client left: nothing to answer, the close hook counted the abort
      return reply;
    }
  }
  const outcome = rollFault(knobs, context.rollDice);
  if (outcome === 'reset') {
    stats.faults.resets++;
    exchange.deliberateClose = true;
    reply.hijack();
    resetConnection(reply.raw);
    return reply;
  }
  if (outcome === 'error') {
    stats.faults.errors++;
    const { type, code } = errorKindForStatus(knobs.errorStatus);
    const message = `Simulated upstream error ${knobs.errorStatus} (injected by the simulator).`;
    return reply.code(knobs.errorStatus).send(openAIError(message, type, null, code));
  }
  return undefined;
}

/** Sends a JSON answer, or only its first half when the request asked for a cut. */
export function sendSimJson(context: SimContext, request: FastifyRequest, reply: FastifyReply, body: object): FastifyReply {
  const exchange = context.exchanges.get(request);
  if (exchange === undefined || exchange.knobs.cutAfterChunks <= 0) return reply.send(body);
  reply.hijack();
  sendTruncatedJson(reply.raw, 200, JSON.stringify(body), () => markCut(context, exchange));
  return reply;
}

export function markCut(context: SimContext, exchange: SimExchange): void {
  context.stats.faults.cuts++;
  exchange.deliberateClose = true;
}
