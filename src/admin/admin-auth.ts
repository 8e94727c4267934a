// The admin API answers only `Authorization: Bearer $SEMCACHE_ADMIN_TOKEN`, and not at all when
// no token is configured.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SemcacheError } from '../errors.js';
import { bearerToken } from '../credentials.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function requireAdminToken(scope: FastifyInstance, token: string | undefined): void {
  const expected = token === undefined ? undefined : digest(token);
  scope.addHook('onRequest', async (request) => {
    if (expected === undefined) {
      throw new SemcacheError('SEMCACHE_ERR_ADMIN_DISABLED', 'The admin API is disabled: set SEMCACHE_ADMIN_TOKEN to enable it.');
    }
    const apiKey = request.headers['api-key'];
    const given = bearerToken(request.headers) ?? (typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined);
    // Comparing digests keeps the comparison constant-time whatever the given token's length.
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new SemcacheError('SEMCACHE_ERR_ADMIN_UNAUTHORIZED', 'A valid admin token is required: Authorization: Bearer $SEMCACHE_ADMIN_TOKEN.');
    }
  });
}
