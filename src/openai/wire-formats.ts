// The cached endpoints' adapters by endpoint, and the answer-level questions asked of whichever
// adapter made an answer.
import type { CachedCompletion } from './cached-completion.js';
import { CHAT_FORMAT, COMPLETION_FORMAT } from './choices-format.js';
import { RESPONSES_FORMAT } from './responses-format.js';
import type { Endpoint } from './types.js';
import type { TokenCounts, WireFormat } from './wire-format.js';

const FORMATS: Readonly<Record<Endpoint, WireFormat>> = { chat: CHAT_FORMAT, completion: COMPLETION_FORMAT, responses: RESPONSES_FORMAT };

/** Every cached endpoint's adapter, in route order. */
export const WIRE_FORMATS: readonly WireFormat[] = Object.values(FORMATS);

export function wireFormatOf(endpoint: Endpoint): WireFormat {
  return FORMATS[endpoint];
}

/** The answer's token counts, when the upstream reported them. */
export function usageTokens(completion: CachedCompletion | undefined): TokenCounts | undefined {
  return completion === undefined ? undefined : FORMATS[completion.endpoint].tokens(completion);
}

export function isStorable(completion: CachedCompletion): boolean {
  return FORMATS[completion.endpoint].isStorable(completion);
}
