// Who may share cache entries. By default the tenant is the API key's hash, so two keys never
// share an entry; x-semcache-namespace narrows that to a namespace within the key, and namespaces
// the operator declares shared are shared by every key.
import type { IncomingHttpHeaders } from 'node:http';
import { SemcacheError } from '../errors.js';
import { ANONYMOUS_KEY_HASH, keyHash } from '../metrics/key-hash.js';
import { bearerToken } from '../proxy/headers.js';

const NAMESPACE_PATTERN = /^[\w.-]{1,64}$/;

export interface Tenancy {
  /** Hash of the API key, or 'anonymous'. */
  readonly keyHash: string;
  readonly namespace: string | undefined;
  /** The partition of the cache these requests may read and write. */
  readonly tenant: string;
}

export function resolveTenancy(headers: IncomingHttpHeaders, sharedNamespaces: readonly string[]): Tenancy {
  const token = bearerToken(headers);
  const hash = token === undefined ? ANONYMOUS_KEY_HASH : keyHash(token);
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
