// Who may share cache entries. By default the tenant is the API key's hash, so two keys never
// share an entry; x-semcache-namespace narrows that to a namespace within the key, and namespaces
// the operator declares shared are shared by every key.
import type { IncomingHttpHeaders } from 'node:http';
import { tenantOf } from '../cache/tenant.js';
import { callerKeyHash } from '../credentials.js';
import { SemcacheError } from '../errors.js';
import { firstHeader, REQUEST_HEADER } from '../semcache-headers.js';

const NAMESPACE_PATTERN = /^[\w.-]{1,64}$/;

export interface Tenancy {
  /** Hash of the API key, or 'anonymous'. */
  readonly keyHash: string;
  readonly namespace: string | undefined;
  /** The partition of the cache these requests may read and write. */
  readonly tenant: string;
}

export function resolveTenancy(headers: IncomingHttpHeaders, sharedNamespaces: readonly string[]): Tenancy {
  const hash = callerKeyHash(headers);
  const namespace = firstHeader(headers, REQUEST_HEADER.namespace);
  if (namespace === undefined || namespace === '') return { keyHash: hash, namespace: undefined, tenant: tenantOf(hash, undefined, false) };
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', `${REQUEST_HEADER.namespace} must be 1-64 characters of letters, digits, _, . or -.`, {
      param: REQUEST_HEADER.namespace,
    });
  }
  return { keyHash: hash, namespace, tenant: tenantOf(hash, namespace, sharedNamespaces.includes(namespace)) };
}
