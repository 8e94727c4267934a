// What a request is keyed on, as the wire format sees it: the text matched by meaning (the last
// user message's text, or the prompt) split from the context that must match exactly. The cache
// (cache/request-key.ts) normalises the text and hashes both.
import type { JsonObject } from './types.js';

export type PromptParts =
  /** `text` is matched by meaning (and exactly, once normalised). */
  | { readonly context: unknown; readonly text: string }
  /** Matched exactly only: `exact` is hashed as canonical JSON ('' when undefined). */
  | { readonly context: unknown; readonly text?: undefined; readonly exact: unknown };

/** Fields that do not change the answer: how it is delivered, or bookkeeping. */
export const DELIVERY_FIELDS: ReadonlySet<string> = new Set([
  'stream',
  'stream_options',
  'user',
  'metadata',
  'store',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
]);

/** Every field of the body but `omit` and the delivery fields: parameters that change the answer,
 * unknown ones too (vLLM-style servers take extra sampling fields). */
export function answerParams(body: JsonObject, omit: string): JsonObject {
  // Without a prototype, a field named `__proto__` is kept as data, not taken as the prototype.
  const out = Object.create(null) as JsonObject;
  for (const [name, value] of Object.entries(body)) {
    if (name !== omit && !DELIVERY_FIELDS.has(name)) out[name] = value;
  }
  return out;
}

/** Log probabilities are per token and per sample: a cached answer cannot honestly carry them. */
export function logprobsAsked(body: JsonObject): boolean {
  if (body.logprobs === true || (typeof body.logprobs === 'number' && body.logprobs > 0)) return true;
  return body.top_logprobs !== undefined && body.top_logprobs !== null;
}
