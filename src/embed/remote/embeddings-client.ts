// One call to an OpenAI-compatible `POST /v1/embeddings` (OpenAI, vLLM, TEI, Ollama, LiteLLM...): many
// texts in, one vector per text out, in the order of the texts. The answer is checked, not trusted: a
// vector per input index, numbers only. Each call has its own deadline; the dispatcher is the client's
// own keep-alive pool, never the global one.

import { Pool, type Dispatcher } from 'undici';

export interface EmbeddingsClientOptions {
  /** The base URL an OpenAI SDK would be given, e.g. http://127.0.0.1:8000/v1. */
  readonly url: URL;
  readonly model: string;
  /** Sent as `Authorization: Bearer`; never logged. */
  readonly apiKey?: string | undefined;
  readonly timeoutMs: number;
  readonly connections: number;
  readonly dispatcher?: Dispatcher;
}

export interface EmbeddingsClient {
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** A failed call. `perText`: the endpoint refused the request's content (400, 413, 422), which one of
 * several texts may have caused alone, so each is worth trying on its own. */
export class EmbeddingsCallError extends Error {
  override readonly name = 'EmbeddingsCallError';
  readonly status: number | undefined;
  readonly perText: boolean;
  /** The message without the endpoint's error body, for places anyone may read (/readyz). */
  readonly summary: string;

  constructor(message: string, options: { status?: number; cause?: unknown; summary?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.perText = options.status === 400 || options.status === 413 || options.status === 422;
    this.summary = options.summary ?? message;
  }
}

/** Longest error body kept in a message: enough for the endpoint's reason, never a whole page. */
const ERROR_BODY_CHARS = 200;

export function createEmbeddingsClient(options: EmbeddingsClientOptions): EmbeddingsClient {
  const path = `${options.url.pathname.replace(/\/+$/, '')}/embeddings`;
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Pool(options.url.origin, { connections: options.connections, keepAliveTimeout: 30_000, pipelining: 1 });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey !== undefined) headers['authorization'] = `Bearer ${options.apiKey}`;

  return {
    async embed(texts) {
      const body = JSON.stringify({ model: options.model, input: texts, encoding_format: 'float' });
      let response: Dispatcher.ResponseData;
      try {
        response = await dispatcher.request({
          origin: options.url.origin,
          path,
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (cause) {
        const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
        const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : cause instanceof Error ? cause.message : String(cause);
        throw new EmbeddingsCallError(`embeddings endpoint ${options.url.origin}${path}: ${reason}`, { cause });
      }
      let text: string;
      try {
        text = await response.body.text();
      } catch (cause) {
        throw new EmbeddingsCallError(
          `embeddings endpoint ${options.url.origin}${path}: answer cut off (${cause instanceof Error ? cause.message : String(cause)})`,
          { cause, status: response.statusCode },
        );
      }
      if (response.statusCode !== 200) {
        const summary = `embeddings endpoint ${options.url.origin}${path} answered ${response.statusCode}`;
        throw new EmbeddingsCallError(`${summary}: ${text.slice(0, ERROR_BODY_CHARS)}`, { status: response.statusCode, summary });
      }
      return parseEmbeddings(text, texts.length);
    },
    async close() {
      if (ownDispatcher) await dispatcher.close();
    },
  };
}

/** OpenAI's answer: `{"data":[{"index":0,"embedding":[...]}, ...]}`, the embedding as numbers or, from
 * servers that ignore `encoding_format`, as base64 little-endian float32. */
export function parseEmbeddings(text: string, count: number): Float32Array[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new EmbeddingsCallError('embeddings endpoint answered with invalid JSON', { cause });
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== count) {
    throw new EmbeddingsCallError(`embeddings endpoint answered ${Array.isArray(data) ? data.length : 'no'} embeddings for ${count} texts`);
  }
  const vectors: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count);
  data.forEach((item: unknown, position) => {
    const { index = position, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined) {
      throw new EmbeddingsCallError(`embeddings endpoint answered a bad or repeated index ${JSON.stringify(index)}`);
    }
    vectors[index] = toVector(embedding, index);
  });
  return vectors as Float32Array[];
}

function toVector(embedding: unknown, index: number): Float32Array {
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) throw new EmbeddingsCallError(`embedding ${index} is not base64 float32`);
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
    return checkFinite(vector, index);
  }
  if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((v) => typeof v === 'number')) {
    throw new EmbeddingsCallError(`embedding ${index} is not a list of numbers`);
  }
  return checkFinite(Float32Array.from(embedding as number[]), index);
}

function checkFinite(vector: Float32Array, index: number): Float32Array {
  if (!vector.every(Number.isFinite)) throw new EmbeddingsCallError(`embedding ${index} holds a value that is not finite`);
  if (vector.every((v) => v === 0)) throw new EmbeddingsCallError(`embedding ${index} is all zeros`);
  return vector;
}
