// Which API keys the simulator accepts, answering the others as OpenAI does: 401 `invalid_api_key`
// for a refused key, 401 for a request without one when keys are required. Keys can be refused and
// accepted again while it runs (`POST /sim/keys`), so a test can revoke a key.

import type { IncomingHttpHeaders } from 'node:http';
import { openAIError, type OpenAIError } from './openai-format.js';

export interface KeyPolicy {
  /** Keys answered with 401; changed at run time by `POST /sim/keys`. */
  readonly refused: Set<string>;
  /** Requests without any key are answered with 401 (as OpenAI does); off by default, as a local
   * vLLM without --api-key. Changed at run time by `POST /sim/keys`. */
  requireKey: boolean;
}

const BEARER = /^Bearer\s+(.+)$/i;

/** The key a request presents: its bearer token, or an `api-key` header (Azure style). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const bearer = typeof auth === 'string' ? BEARER.exec(auth.trim())?.[1]?.trim() : undefined;
  if (bearer !== undefined && bearer !== '') return bearer;
  const apiKey = headers['api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/** OpenAI's masking: the first 3 and last 4 characters of a refused key. */
function masked(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}

/** The 401 answer for these headers, or undefined when the key is accepted. */
export function keyRefusal(policy: KeyPolicy, headers: IncomingHttpHeaders): OpenAIError | undefined {
  const key = presentedKey(headers);
  if (key === undefined) {
    if (!policy.requireKey) return undefined;
    return openAIError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    );
  }
  if (!policy.refused.has(key)) return undefined;
  return openAIError(
    `Incorrect API key provided: ${masked(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    null,
    'invalid_api_key',
  );
}
