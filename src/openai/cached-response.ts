// A Responses API answer as the cache keeps it: the response object the upstream made, whole, its
// own id included. A hit serves that id again, so that a client can continue from it with
// `previous_response_id` at the upstream, which holds the response under that id (README, "The
// Responses API"). A streamed answer is assembled from its events: `response.completed` carries the
// final object, and the items of `response.output_item.done` fill its output if it came without.
import type { StreamAssembler } from './cached-completion.js';
import { isJsonObject, type JsonObject } from './types.js';

export interface CachedResponse {
  readonly endpoint: 'responses';
  readonly model: string;
  /** The response object as the upstream sent it (`object: "response"`). */
  readonly response: JsonObject;
}

function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** `usage.input_tokens` and `usage.output_tokens`, counted and priced as chat's prompt and completion tokens. */
export function responseTokens(cached: CachedResponse): { input: number; output: number } | undefined {
  const usage = cached.response.usage;
  if (!isJsonObject(usage) || !isTokenCount(usage.input_tokens) || !isTokenCount(usage.output_tokens)) return undefined;
  return { input: usage.input_tokens, output: usage.output_tokens };
}

/** Only a finished answer is stored: status `completed`, no error, at least one output item and
 * none left incomplete (a `max_output_tokens` cut makes the response `incomplete`). */
export function isStorableResponse(cached: CachedResponse): boolean {
  const { response } = cached;
  const output = response.output;
  return (
    response.status === 'completed' &&
    (response.error === undefined || response.error === null) &&
    Array.isArray(output) &&
    output.length > 0 &&
    output.every((item) => isJsonObject(item) && item.status !== 'incomplete' && item.status !== 'failed')
  );
}

/** A non-streamed body; undefined when it is not a response object. */
export function responseFromBody(body: unknown): CachedResponse | undefined {
  if (!isJsonObject(body) || body.object !== 'response' || typeof body.id !== 'string' || typeof body.model !== 'string' || !Array.isArray(body.output)) {
    return undefined;
  }
  return { endpoint: 'responses', model: body.model, response: body };
}

/** The text of the answer's messages and the calls it makes, for comparing two answers. */
export function responseAnswerText(cached: CachedResponse): string {
  const output = Array.isArray(cached.response.output) ? cached.response.output : [];
  return output
    .map((item) => {
      if (!isJsonObject(item)) return '';
      if (item.type === 'function_call') return JSON.stringify([item.name ?? null, item.arguments ?? null]);
      if (!Array.isArray(item.content)) return '';
      return item.content.map((part) => (isJsonObject(part) ? String(part.text ?? part.refusal ?? '') : '')).join('');
    })
    .join('\n');
}

/** Events after which a Responses stream sends nothing more (OpenAI sends no `[DONE]` here). */
const TERMINAL_TYPES = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);
const TERMINAL_EVENT = /"type"\s*:\s*"(?:response\.(?:completed|failed|incomplete)|error)"/;

export function createResponseAssembler(): StreamAssembler<CachedResponse> {
  let started: JsonObject | undefined;
  let final: JsonObject | undefined;
  let terminal = false;
  const items = new Map<number, JsonObject>();
  return {
    // The last event carries the usage and ends the stream: it is read even when nothing is stored.
    mustParse: (data) => TERMINAL_EVENT.test(data),
    add(event) {
      const type = event.type;
      if (typeof type !== 'string') return;
      if (type === 'response.created' && isJsonObject(event.response)) started = event.response;
      if (type === 'response.output_item.done' && typeof event.output_index === 'number' && isJsonObject(event.item)) items.set(event.output_index, event.item);
      if (TERMINAL_TYPES.has(type)) {
        terminal = true;
        if (isJsonObject(event.response)) final = event.response;
      }
    },
    isUsageOnly: () => false,
    isComplete: () => terminal,
    finish() {
      const base = final ?? started ?? {};
      const output =
        Array.isArray(base.output) && base.output.length > 0 ? base.output : [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
      const response: JsonObject = { ...base, output, status: final === undefined ? 'failed' : base.status };
      return { endpoint: 'responses', model: typeof response.model === 'string' ? response.model : '', response };
    },
  };
}
