// Tenancy from every credential a request carries (only Bearer and api-key
// were read, so callers with x-api-key or Basic credentials shared one tenant).
import { describe, expect, it } from 'vitest';
import { resolveTenancy } from '../../src/pipeline/tenancy.js';
import { keyHash } from '../../src/credentials.js';

const tenant = (headers: Record<string, string>): string => resolveTenancy(headers, []).tenant;

describe('resolveTenancy', () => {
  it('hashes a bearer token as the documented sha256 of the key', () => {
    expect(resolveTenancy({ authorization: 'Bearer sk-abc' }, []).keyHash).toBe(keyHash('sk-abc'));
  });

  it('tells apart callers that differ in x-api-key, openai-api-key or api-key', () => {
    for (const name of ['x-api-key', 'openai-api-key', 'api-key']) {
      expect(tenant({ [name]: 'key-of-A' })).not.toBe(tenant({ [name]: 'key-of-B' }));
      expect(tenant({ [name]: 'key-of-A' })).not.toBe(tenant({}));
    }
  });

  it('tells apart Basic credentials', () => {
    expect(tenant({ authorization: 'Basic YWxpY2U6cHc=' })).not.toBe(tenant({ authorization: 'Basic Ym9iOnB3' }));
  });

  it('tells apart users of one gateway token who send their own key', () => {
    expect(tenant({ authorization: 'Bearer gateway', 'api-key': 'user-1' })).not.toBe(tenant({ authorization: 'Bearer gateway', 'api-key': 'user-2' }));
  });

  it('puts requests without any credential in the anonymous tenant', () => {
    expect(resolveTenancy({}, []).keyHash).toBe('anonymous');
  });

  it('shares a namespace across keys only when it is declared shared', () => {
    expect(resolveTenancy({ authorization: 'Bearer a', 'x-semcache-namespace': 'faq' }, ['faq']).tenant).toBe('shared:faq');
    expect(resolveTenancy({ authorization: 'Bearer a', 'x-semcache-namespace': 'notes' }, ['faq']).tenant).not.toBe(
      resolveTenancy({ authorization: 'Bearer b', 'x-semcache-namespace': 'notes' }, ['faq']).tenant,
    );
  });
});
