// The one way an API key is turned into an identifier: the first 16 hex characters of its SHA-256.
// Tenancy partitions on it and operators map it to tenant names; the raw key is never stored.
// Compute it for a key with: printf %s "$KEY" | sha256sum | cut -c1-16
import { createHash } from 'node:crypto';

export const ANONYMOUS_KEY_HASH = 'anonymous';

export function keyHash(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16);
}
