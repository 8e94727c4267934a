// Who may share cache entries. By default the tenant is the API key's hash, so two keys never
// share an entry; x-semcache-namespace narrows that to a namespace within the key, and namespaces
// the operator declares shared are shared by every key.
import type { IncomingHttpHeaders } from 'node:http';
import { SemcacheError } from '../errors.js';
import { ANONYMOUS_KEY_HASH, keyHash } from '../credentials.js';

const NAMESPACE_PATTERN = /^[\w.-]{1,64}$/;

export interface Tenancy {
  /** Hash of the API key, or 'anonymous'. */
  readonly keyHash: string;
  readonly namespace: string | undefined;
  /** The partition of the cache these requests may read and write. */
  readonly tenant: string;
}

/** Headers other than Authorization that carry API keys (Azure-style gateways, proxies). */
const KEY_HEADERS = ['api-key', 'x-api-key', 'openai-api-key'] as const;

/** Everything that identifies the caller, as one string: the bearer token alone in the common case
 * (so its hash is the documented sha256 of the key), every credential header together otherwise,
 * so that two callers differing in any credential never share a tenant. */
function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const parts: string[] = [];
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') parts.push(/^Bearer\s+(.+)$/i.exec(auth.trim())?.[1]?.trim() ?? auth.trim());
  for (const name of KEY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') parts.push(parts.length === 0 ? value : `${name}: ${value}`);
  }
  return parts.length === 0 ? undefined : parts.join('\n');
}

export function resolveTenancy(headers: IncomingHttpHeaders, sharedNamespaces: readonly string[]): Tenancy {
  const credential = credentialOf(headers);
  const hash = credential === undefined ? ANONYMOUS_KEY_HASH : keyHash(credential);
  const header = headers['x-semcache-namespace'];
  if (header === undefined || header === '') return { keyHash: hash, namespace: undefined, tenant: `key:${hash}` };
  const namespace = Array.isArray(header) ? header[0] ?? '' : header;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', 'x-semcache-namespace must be 1-64 characters of letters, digits, _, . or -.', {
      param: 'x-semcache-namespace',
    });
  }
  const tenant = sharedNamespaces.includes(namespace) ? `shared:${namespace}` : `key:${hash}/ns:${namespace}`;
  return { keyHash: hash, namespace, tenant };
}
