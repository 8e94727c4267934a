// One adapter per cached endpoint: everything the pipeline, the upstream relay and the cache need to
// know of an endpoint's wire format, behind one interface, so that none of them branches on the
// endpoint. The adapters: choices-format.ts (chat and legacy completions), responses-format.ts.
import type { CachedCompletion, StreamAssembler } from './cached-completion.js';
import type { PromptParts } from './prompt-parts.js';
import type { CacheableRequest, Endpoint, JsonObject } from './types.js';

export interface HitRenderOptions {
  readonly streamed: boolean;
  /** Chat and completions: the client asked for the usage chunk (stream_options.include_usage). */
  readonly includeUsage: boolean;
  /** Unix seconds, for formats that give a hit a fresh creation time. */
  readonly created: number;
}

export interface RenderedHit {
  /** A JSON body, or the whole text of an SSE stream. */
  readonly payload: JsonObject | string;
  readonly eventStream: boolean;
}

export interface TokenCounts {
  readonly input: number;
  readonly output: number;
}

export interface WireFormat {
  readonly endpoint: Endpoint;
  /** The route, e.g. /v1/chat/completions. */
  readonly path: string;
  /** Checks a parsed body (400 naming the parameter); its `model` is already checked. */
  validate(body: JsonObject): CacheableRequest;
  /** What is matched by meaning and what must match exactly. Bodies are this format's, validated. */
  promptParts(body: JsonObject): PromptParts;
  /** Why the request is not cached at all, when it is not. */
  bypassReason(body: JsonObject): string | undefined;
  /** Whether a hit may be served to another API key (an operator-shared namespace). */
  sharable(body: JsonObject): boolean;
  /** Whether the client asked a streamed answer's usage chunk itself. */
  includeUsage(body: JsonObject): boolean;
  /** The body to send instead for a streamed request, so that its usage can be counted; undefined
   * when the stream carries it anyway. The usage chunk is then kept from the client. */
  askStreamUsage(body: JsonObject): JsonObject | undefined;
  /** The request asked again in the background for a shadow check: whole (not streamed), and
   * leaving nothing behind at the upstream. */
  wholeRequest(body: JsonObject): JsonObject;
  /** A whole (non-streamed) answer; undefined when it is not a well-formed one. */
  fromBody(body: unknown): CachedCompletion | undefined;
  createAssembler(): StreamAssembler;
  /** Whether a whole answer is complete and fit to serve again. */
  isStorable(completion: CachedCompletion): boolean;
  /** The answer's input (prompt) and output tokens, when the upstream reported them. */
  tokens(completion: CachedCompletion): TokenCounts | undefined;
  /** A hit in the form the client asked for. */
  render(completion: CachedCompletion, options: HitRenderOptions): RenderedHit;
  /** The answer as text, to compare two answers (shadow checks). */
  answerText(completion: CachedCompletion): string;
}

/** Narrows an answer to the form its adapter handles; a mismatch is a bug of semcache's own. */
export function expectForm<E extends CachedCompletion['endpoint']>(
  completion: CachedCompletion,
  ...endpoints: E[]
): Extract<CachedCompletion, { endpoint: E }> {
  if (!(endpoints as string[]).includes(completion.endpoint)) throw new TypeError(`a ${completion.endpoint} answer given to the ${endpoints.join('/')} format`);
  return completion as Extract<CachedCompletion, { endpoint: E }>;
}
