// A cached route's request sent upstream, its answer relayed to the client as it arrives and, at
// the same time, assembled into a CachedCompletion. The completion is reported only when the answer
// is whole: status 200 and, for a stream, every event parsed and `data: [DONE]` reached. A client
// that goes away, an upstream that breaks off or times out: nothing is reported, so nothing stored.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders, upstreamRequestHeaders, type HeaderMap } from './hop-by-hop.js';
import { abortOnClientClose, callUpstream } from './forward.js';
import { isJsonObject, type Endpoint } from '../openai/types.js';
import { createSseParser, type SseEvent } from '../openai/sse-parser.js';
import type { Upstream } from './upstream.js';
import { upstreamFailure } from './upstream-errors.js';
import { SEMCACHE_HEADER_PREFIX } from '../semcache-headers.js';
import type { CachedCompletion } from '../openai/cached-completion.js';
import { wireFormatOf } from '../openai/wire-formats.js';

export interface ExchangeOutcome {
  readonly statusCode: number;
  /** The whole answer, or undefined when it was an error, cut short, or not understood. */
  readonly completion: CachedCompletion | undefined;
  readonly upstreamMs: number;
  readonly firstByteMs: number | undefined;
}

export interface ExchangeRequest {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly upstream: Upstream;
  readonly endpoint: Endpoint;
  readonly body: Buffer;
  readonly streamed: boolean;
  /** The usage chunk was asked for by semcache, not the client: keep it from the client. */
  readonly dropUsageChunk: boolean;
  /** Assemble the whole answer (to store it); otherwise only its usage is read. */
  readonly assemble: boolean;
  /** Headers semcache adds to the client's response (x-semcache-status...). */
  readonly extraHeaders: HeaderMap;
  /** Called once, when the exchange is over, whatever its end. A whole answer's headers, and the
   * end of a relayed stream, wait for what it returns (storing the answer may wait for the
   * prompt's embedding). */
  readonly onEnd: (outcome: ExchangeOutcome) => Promise<void> | void;
}

/** Ends an exchange that failed or was cut: nothing waits for the caller, whose own failure is logged. */
function endFailed(call: ExchangeRequest, outcome: ExchangeOutcome): void {
  const ending = call.onEnd(outcome);
  if (ending !== undefined) ending.catch((error: unknown) => call.request.log.error({ err: error }, 'ending a failed exchange'));
}

export function headersForUpstream(request: FastifyRequest): HeaderMap {
  const headers = upstreamRequestHeaders(request.headers, { keepContentLength: false });
  for (const name of Object.keys(headers)) {
    // semcache's own control headers are not the upstream's business, and an encoded body could
    // not be read to store it.
    if (name.startsWith(SEMCACHE_HEADER_PREFIX) || name === 'accept-encoding') delete headers[name];
  }
  headers['content-type'] = 'application/json';
  return headers;
}

function isEventStream(response: Dispatcher.ResponseData): boolean {
  const type = response.headers['content-type'];
  return typeof type === 'string' && type.includes('text/event-stream');
}

async function relayWhole(call: ExchangeRequest, response: Dispatcher.ResponseData, started: number): Promise<FastifyReply> {
  const { reply, request } = call;
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    endFailed(call, { statusCode: response.statusCode, completion: undefined, upstreamMs: performance.now() - started, firstByteMs: undefined });
    throw upstreamFailure(error, call.upstream.timeoutMs);
  }
  let completion: CachedCompletion | undefined;
  if (response.statusCode === 200 && !call.streamed) {
    try {
      completion = wireFormatOf(call.endpoint).fromBody(JSON.parse(bytes.toString('utf8')));
    } catch {
      completion = undefined;
    }
  }
  const upstreamMs = performance.now() - started;
  await call.onEnd({ statusCode: response.statusCode, completion, upstreamMs, firstByteMs: upstreamMs });
  const headers = clientResponseHeaders(response.headers);
  headers['x-request-id'] ??= request.id;
  return reply
    .code(response.statusCode)
    .headers({ ...headers, ...call.extraHeaders })
    .send(bytes);
}

const NULL_USAGE = /,\s*"usage"\s*:\s*null|"usage"\s*:\s*null\s*,/;

function withoutNullUsage(raw: string): string {
  return raw.replace(NULL_USAGE, '');
}

function relayStream(call: ExchangeRequest, response: Dispatcher.ResponseData, controller: AbortController, started: number): FastifyReply {
  const { reply, request } = call;
  const assembler = wireFormatOf(call.endpoint).createAssembler();
  const parser = createSseParser();
  const decoder = new TextDecoder();
  let firstByteMs: number | undefined;

  let sawDone = false;
  let malformed = false;

  /** What the client gets of one event: as received, without the usage semcache asked for, or
   * nothing (the usage chunk). Events are parsed only when the answer is assembled for storing,
   * or when they carry usage or end the stream: a bypass or an unstored miss only needs the token
   * counts. */
  function relayEvent(event: SseEvent): string {
    const data = event.data;
    if (data === '[DONE]') sawDone = true;
    if (data === undefined || data === '[DONE]') return event.raw;
    if (!call.assemble && !assembler.mustParse(data)) return call.dropUsageChunk ? withoutNullUsage(event.raw) : event.raw;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      malformed = true;
      return event.raw;
    }
    if (!isJsonObject(parsed)) return event.raw;
    assembler.add(parsed);
    if (!call.dropUsageChunk) return event.raw;
    // The client did not ask for usage: it gets neither the usage chunk nor the `"usage": null`
    // the upstream then adds to every other chunk, as from OpenAI.
    return assembler.isUsageOnly(parsed) ? '' : withoutNullUsage(event.raw);
  }

  async function* events(): AsyncGenerator<string> {
    let whole = false;
    try {
      for await (const chunk of response.body) {
        firstByteMs ??= performance.now() - started;
        // One write per upstream chunk, whatever number of events it completes.
        let out = '';
        for (const event of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) out += relayEvent(event);
        if (out !== '') yield out;
      }
      whole = assembler.isComplete(sawDone) && !malformed && parser.pending.trim() === '';
    } finally {
      // Reached on completion, on an upstream error, and when the client went away (the stream is
      // destroyed, which returns this generator): only the first stores anything. A whole stream
      // ends once it is stored.
      if (whole) await finish(true);
      else finish(false);
    }
  }

  let finished = false;
  /** Ends the exchange once, whether the generator ran to its end or never started at all (a
   * client gone before the first read destroys the stream without running it). */
  function finish(whole: boolean): Promise<void> | undefined {
    if (finished) return undefined;
    finished = true;
    const outcome: ExchangeOutcome = {
      statusCode: response.statusCode,
      completion: whole ? assembler.finish() : undefined,
      upstreamMs: performance.now() - started,
      firstByteMs,
    };
    if (whole) return Promise.resolve(call.onEnd(outcome));
    controller.abort();
    endFailed(call, outcome);
    return undefined;
  }

  const headers = clientResponseHeaders(response.headers);
  delete headers['content-length'];
  headers['x-request-id'] ??= request.id;
  reply.code(response.statusCode).headers({ ...headers, ...call.extraHeaders });
  const stream = Readable.from(events(), { objectMode: false });
  stream.once('close', () => void finish(false));
  return reply.send(stream);
}

export async function exchange(call: ExchangeRequest): Promise<FastifyReply> {
  const controller = abortOnClientClose(call.reply);
  const started = performance.now();
  let response: Dispatcher.ResponseData;
  try {
    response = await callUpstream(call.upstream, {
      method: 'POST',
      path: call.upstream.pathFor(call.request.url),
      headers: headersForUpstream(call.request),
      body: call.body,
      signal: controller.signal,
    });
  } catch (error) {
    endFailed(call, { statusCode: 0, completion: undefined, upstreamMs: performance.now() - started, firstByteMs: undefined });
    throw error;
  }
  if (call.streamed && response.statusCode === 200 && isEventStream(response)) return relayStream(call, response, controller, started);
  return relayWhole(call, response, started);
}
