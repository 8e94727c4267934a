// Sends one request upstream through the injected dispatcher and relays the answer, streamed.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders, type HeaderMap } from './hop-by-hop.js';
import type { Upstream } from './upstream.js';
import { upstreamFailure } from './upstream-errors.js';

export interface UpstreamCall {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly headers: HeaderMap;
  readonly body?: Buffer | string | Readable | null;
  readonly signal: AbortSignal;
}

/** Resolves with the upstream's response (any status); rejects with a SemcacheError (502/504)
 * when there is none. `timeoutMs` bounds the wait for headers and every silence in the body. */
export async function callUpstream(upstream: Upstream, call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  try {
    return await upstream.dispatcher.request({
      origin: upstream.origin,
      method: call.method,
      path: call.path,
      headers: call.headers,
      body: call.body ?? null,
      signal: call.signal,
      headersTimeout: upstream.timeoutMs,
      bodyTimeout: upstream.timeoutMs,
    });
  } catch (error) {
    throw upstreamFailure(error, upstream.timeoutMs);
  }
}

/** An AbortController aborted when the client goes away before its response is complete, so the
 * upstream request (and the GPU time behind it) is cancelled too. */
export function abortOnClientClose(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  const abort = (): void => controller.abort(new Error('client closed the connection'));
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort();
  });
  // The client may have gone already (while its prompt was embedded, or while it waited for an
  // identical request): its 'close' has fired, so nothing should be sent upstream for it.
  if (reply.raw.destroyed || reply.raw.socket?.destroyed === true) abort();
  return controller;
}

/** The upstream's status, headers and body, as it sent them, plus an x-request-id if it had none. */
export function relayResponse(request: FastifyRequest, reply: FastifyReply, response: Dispatcher.ResponseData): FastifyReply {
  const headers = clientResponseHeaders(response.headers);
  if (headers['x-request-id'] === undefined) headers['x-request-id'] = request.id;
  reply.code(response.statusCode).headers(headers);
  return reply.send(response.body);
}
