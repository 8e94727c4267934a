// Who is calling: the API key a request carries, and the one way it is turned into an identifier
// (the first 16 hex characters of its SHA-256). Tenancy partitions on that hash and operators map
// it to tenant names; the raw key is never stored or logged.
// Compute it for a key with: printf %s "$KEY" | sha256sum | cut -c1-16
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const ANONYMOUS_KEY_HASH = 'anonymous';

/** Headers other than Authorization that carry API keys (Azure-style gateways, proxies). */
const KEY_HEADERS = ['api-key', 'x-api-key', 'openai-api-key'] as const;

const BEARER = /^Bearer\s+(.+)$/i;

export function keyHash(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16);
}

/** The token of `Authorization: Bearer <token>`, when the header has that form. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  return typeof auth === 'string' ? BEARER.exec(auth.trim())?.[1]?.trim() : undefined;
}

/** Everything that identifies the caller, as one string: the bearer token alone in the common case
 * (so its hash is the documented sha256 of the key), every credential header together otherwise,
 * so that two callers differing in any credential never share a tenant. */
function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const parts: string[] = [];
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') parts.push(bearerToken(headers) ?? auth.trim());
  for (const name of KEY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') parts.push(parts.length === 0 ? value : `${name}: ${value}`);
  }
  return parts.length === 0 ? undefined : parts.join('\n');
}

/** The caller's key hash, or ANONYMOUS_KEY_HASH when it sent no credential. */
export function callerKeyHash(headers: IncomingHttpHeaders): string {
  const credential = credentialOf(headers);
  return credential === undefined ? ANONYMOUS_KEY_HASH : keyHash(credential);
}
