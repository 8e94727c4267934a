// What a cacheable request is keyed on. The text that is matched semantically (the last user
// message, or the completion prompt) is split from everything else, which must match exactly:
// endpoint, model, system/developer prompt, earlier turns, tools, response_format, every parameter
// that changes the answer (unknown ones too, as vLLM-style servers take extra sampling fields), the
// tenant and the embedder. Keys are hashes of canonical JSON, never concatenated strings.
import { createHash } from 'node:crypto';
import type { CacheableRequest, ChatMessage, JsonObject } from '../openai/types.js';
import { canonicalJson } from './canonical-json.js';
import { normalizeForEmbedding, normalizeForExact } from './normalize.js';

/** Fields that do not change the answer: how it is delivered, or bookkeeping. */
const DELIVERY_FIELDS = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention']);

export interface RequestKey {
  /** Text for the semantic tier; undefined when only the exact tier may serve the request
   * (multi-part media content, a last message that is not the user's, several prompts). */
  readonly semanticText: string | undefined;
  /** The same text with its layout (line breaks, indentation), as guards compare it and entries
   * keep it; undefined exactly when `semanticText` is. */
  readonly promptText: string | undefined;
  /** Hash of everything that must match exactly, the tenant included. */
  readonly context: string;
  /** Hash of the context and the normalised text: the exact tier's key. */
  readonly exactKey: string;
  /** Why the request is not cached at all, when it is not. */
  readonly bypassReason: string | undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function textOfContent(content: ChatMessage['content']): { text: string; mediaOnly: boolean; hasMedia: boolean } {
  if (typeof content === 'string') return { text: content, mediaOnly: false, hasMedia: false };
  if (!Array.isArray(content)) return { text: '', mediaOnly: false, hasMedia: false };
  const texts = content.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text as string);
  const hasMedia = content.some((part) => part.type !== 'text');
  return { text: texts.join('\n'), mediaOnly: texts.length === 0, hasMedia };
}

function bypassReason(body: JsonObject): string | undefined {
  // Log probabilities are per token and per sample: a cached answer cannot honestly carry them.
  if (body.logprobs === true || (typeof body.logprobs === 'number' && body.logprobs > 0)) return 'logprobs';
  if (body.top_logprobs !== undefined && body.top_logprobs !== null) return 'logprobs';
  return undefined;
}

function params(body: JsonObject, omit: string): JsonObject {
  // Without a prototype, a field named `__proto__` is kept as data, not taken as the prototype.
  const out = Object.create(null) as JsonObject;
  for (const [name, value] of Object.entries(body)) {
    if (name !== omit && !DELIVERY_FIELDS.has(name)) out[name] = value;
  }
  return out;
}

interface Split {
  readonly context: unknown;
  /** The matched text, or the canonical form of a message that can only match exactly. */
  readonly exactText: string;
  /** How exactText was made, so that no two forms can share a key: normalised text, text as sent
   * (too long to normalise), or canonical JSON. */
  readonly form: 'text' | 'raw' | 'json';
  readonly semanticText: string | undefined;
}

/** Past this length a prompt is keyed as sent: NFKC can multiply a text's length by 18 (U+FDFA),
 * and normalising 7.5 MB of such characters takes 13 s. Prompts this long get no
 * semantic hit anyway (the guards' limit), so they are matched exactly only. */
export const MAX_NORMALISED_CHARS = 65_536;

function splitText(text: string): Omit<Split, 'context'> {
  if (text.length > MAX_NORMALISED_CHARS) return { exactText: text, form: 'raw', semanticText: undefined };
  return { exactText: normalizeForExact(text), form: 'text', semanticText: normalizeForEmbedding(text) };
}

function splitChat(body: JsonObject & { messages: ChatMessage[] }): Split {
  const messages = body.messages;
  const last = messages[messages.length - 1];
  const earlier = messages.slice(0, -1);
  if (last === undefined || last.role !== 'user') {
    return { context: { params: params(body, 'messages'), earlier: messages }, exactText: '', form: 'json', semanticText: undefined };
  }
  const { content, ...lastExtra } = last;
  const { text, hasMedia } = textOfContent(content);
  const context = { params: params(body, 'messages'), earlier, lastExtra };
  if (hasMedia) return { context, exactText: canonicalJson(content), form: 'json', semanticText: undefined };
  return { context, ...splitText(text) };
}

function splitCompletion(body: JsonObject & { prompt: unknown }): Split {
  const prompt = Array.isArray(body.prompt) && body.prompt.length === 1 && typeof body.prompt[0] === 'string' ? body.prompt[0] : body.prompt;
  const context = { params: params(body, 'prompt') };
  if (typeof prompt !== 'string') return { context, exactText: canonicalJson(prompt), form: 'json', semanticText: undefined };
  return { context, ...splitText(prompt) };
}

/** `query`: the request URL's query string, forwarded upstream, so part of what must match. */
export function requestKey(request: CacheableRequest, scope: { tenant: string; embedderId: string; query: string }): RequestKey {
  const split = request.endpoint === 'chat' ? splitChat(request.body) : splitCompletion(request.body);
  const context = sha256(canonicalJson({ v: 1, endpoint: request.endpoint, tenant: scope.tenant, embedder: scope.embedderId, query: scope.query, context: split.context }));
  const semanticText = split.semanticText !== undefined && split.semanticText.trim() !== '' ? split.semanticText : undefined;
  return {
    semanticText,
    promptText: semanticText === undefined ? undefined : split.exactText,
    context,
    exactKey: sha256(canonicalJson({ context, text: split.exactText, form: split.form })),
    bypassReason: bypassReason(request.body),
  };
}
