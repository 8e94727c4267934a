// What a cacheable request is keyed on. The endpoint's wire format (openai/wire-format.ts) splits the
// text that is matched semantically (the last user message, or the prompt) from everything else,
// which must match exactly: endpoint, model, system prompt or instructions, earlier turns, tools,
// response format, every parameter that changes the answer (unknown ones too, as vLLM-style servers
// take extra sampling fields); here the tenant and the embedder join the context. Keys are hashes of
// canonical JSON, never concatenated strings.
import { createHash } from 'node:crypto';
import type { CacheableRequest } from '../openai/types.js';
import { wireFormatOf } from '../openai/wire-formats.js';
import { canonicalJson } from './canonical-json.js';
import { normalizeForEmbedding, normalizeForExact } from './normalize.js';
import { isSharedTenant } from './tenant.js';

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

interface Split {
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

function splitText(text: string): Split {
  if (text.length > MAX_NORMALISED_CHARS) return { exactText: text, form: 'raw', semanticText: undefined };
  return { exactText: normalizeForExact(text), form: 'text', semanticText: normalizeForEmbedding(text) };
}

/** `query`: the request URL's query string, forwarded upstream, so part of what must match. */
export function requestKey(request: CacheableRequest, scope: { tenant: string; embedderId: string; query: string }): RequestKey {
  const format = wireFormatOf(request.endpoint);
  const parts = format.promptParts(request.body);
  const split: Split =
    parts.text === undefined
      ? { exactText: parts.exact === undefined ? '' : canonicalJson(parts.exact), form: 'json', semanticText: undefined }
      : splitText(parts.text);
  const context = sha256(
    canonicalJson({ v: 1, endpoint: request.endpoint, tenant: scope.tenant, embedder: scope.embedderId, query: scope.query, context: parts.context }),
  );
  const semanticText = split.semanticText !== undefined && split.semanticText.trim() !== '' ? split.semanticText : undefined;
  return {
    semanticText,
    promptText: semanticText === undefined ? undefined : split.exactText,
    context,
    exactKey: sha256(canonicalJson({ context, text: split.exactText, form: split.form })),
    bypassReason: format.bypassReason(request.body) ?? (isSharedTenant(scope.tenant) && !format.sharable(request.body) ? 'stored-response-shared' : undefined),
  };
}
