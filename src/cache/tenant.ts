// The tenant an entry belongs to, as one string: built when a request is read, matched when an
// operator flushes a namespace. `key:<hash>` (an API key's own entries), `key:<hash>/ns:<name>` (a
// namespace within the key) or `shared:<name>` (a namespace the operator shares with every key).

export function tenantOf(keyHash: string, namespace: string | undefined, shared: boolean): string {
  if (namespace === undefined) return `key:${keyHash}`;
  return shared ? `shared:${namespace}` : `key:${keyHash}/ns:${namespace}`;
}

/** Whether the tenant is the namespace: the shared one, or that namespace under any key. */
export function inNamespace(tenant: string, namespace: string): boolean {
  return tenant === `shared:${namespace}` || tenant.endsWith(`/ns:${namespace}`);
}

/** Whether the tenant is a namespace the operator shares with every key. */
export function isSharedTenant(tenant: string): boolean {
  return tenant.startsWith('shared:');
}
