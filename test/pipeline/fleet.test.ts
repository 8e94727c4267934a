// Two semcache replicas on one Redis (SEMCACHE_STORE=redis://...), each with its own upstream
// connection and index: a miss answered through A is an exact hit on B at once and a semantic hit
// on B once the change log has reached it; deletes, namespace flushes and feedback blocks made on
// A hold on B; /readyz says which store serves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, handEmbedder } from '../helpers/hand-embedder.js';
import { dropPrefix, sharedRedisReachable, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

const redisUp = await sharedRedisReachable();

const VECTORS = new Map([
  ['How do I reset my password?', at(0)],
  ['How can I reset my password?', at(0.1)],
  ['How do I close my account?', at(1)],
  ['How can I close my account?', at(1.05)],
  ['What is the refund policy?', at(2.5)],
  ['What is your refund policy?', at(2.55)],
]);
const ADMIN = 'admin-secret';
const prefix = testPrefix();
const indexDirs = mkdtempSync(join(tmpdir(), 'semcache-fleet-'));
let a: Stack;
let b: Stack;

beforeAll(async () => {
  if (!redisUp) return;
  const env = {
    SEMCACHE_STORE: TEST_REDIS_URL,
    SEMCACHE_STORE_PREFIX: prefix,
    SEMCACHE_LOG_LEVEL: 'silent',
    SEMCACHE_THRESHOLD: '0.99',
    SEMCACHE_GUARDS: 'none',
    SEMCACHE_ADMIN_TOKEN: ADMIN,
    SEMCACHE_SHARED_NAMESPACES: 'faq',
  };
  // Each replica saves its index in a folder of its own (by default it would be semcache-data/ in
  // the working folder).
  a = await startStack({ env: { ...env, SEMCACHE_INDEX_DIR: join(indexDirs, 'a') }, deps: { embedder: handEmbedder(VECTORS) } });
  b = await startStack({ env: { ...env, SEMCACHE_INDEX_DIR: join(indexDirs, 'b') }, deps: { embedder: handEmbedder(VECTORS) } });
});
afterAll(async () => {
  if (!redisUp) return;
  await a.close();
  await b.close();
  await dropPrefix(TEST_REDIS_URL, prefix);
  rmSync(indexDirs, { recursive: true, force: true });
});

async function ask(stack: Stack, question: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fleet', ...headers },
    body: chatRequest(question),
  });
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return { status: res.headers.get('x-semcache-status'), entryId: res.headers.get('x-semcache-entry-id'), answer: body.choices[0]?.message.content };
}

const admin = (stack: Stack, method: string, path: string, body?: unknown) =>
  fetch(`${stack.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe.skipIf(!redisUp)('two replicas on one Redis', () => {
  it('serves through B what A stored: an exact hit at once, a semantic hit once the log reaches B', async () => {
    const stored = await ask(a, 'How do I reset my password?');
    expect(stored.status).toBe('miss');
    expect(await ask(b, 'How do I reset my password?')).toEqual({ status: 'exact-hit', entryId: stored.entryId, answer: stored.answer });
    await expect
      .poll(async () => (await ask(b, 'How can I reset my password?', { 'cache-control': 'no-store' })).status, { timeout: 3000, interval: 10 })
      .toBe('semantic-hit');
    expect(b.sim.stats.byPath['/v1/chat/completions'] ?? 0).toBe(0);
    expect((await (await fetch(`${b.origin}/readyz`)).json()) as unknown).toEqual({
      status: 'ready',
      store: { kind: 'redis', indexBehind: 0, replicaLagMs: expect.any(Number) },
    });
  });

  it('applies on B a delete made on A', async () => {
    const stored = await ask(a, 'How do I close my account?');
    await expect
      .poll(async () => (await ask(b, 'How can I close my account?', { 'cache-control': 'no-store' })).status, { timeout: 3000, interval: 10 })
      .toBe('semantic-hit');
    expect((await admin(a, 'DELETE', `/admin/entries/${stored.entryId}`)).status).toBe(200);
    expect((await ask(b, 'How do I close my account?', { 'cache-control': 'no-store' })).status).toBe('miss');
    await expect
      .poll(async () => (await ask(b, 'How can I close my account?', { 'cache-control': 'no-store' })).status, { timeout: 3000, interval: 10 })
      .toBe('miss');
  });

  it('applies on B a feedback block and a namespace flush made on A', async () => {
    const stored = await ask(a, 'What is the refund policy?', { 'x-semcache-namespace': 'faq' });
    const paraphrase = { 'x-semcache-namespace': 'faq', 'cache-control': 'no-store' };
    await expect.poll(async () => (await ask(b, 'What is your refund policy?', paraphrase)).status, { timeout: 3000, interval: 10 }).toBe('semantic-hit');
    const feedback = await admin(a, 'POST', '/admin/feedback', { entry_id: Number(stored.entryId), prompt: 'What is your refund policy?' });
    expect(feedback.status).toBe(200);
    await expect.poll(async () => (await ask(b, 'What is your refund policy?', paraphrase)).status, { timeout: 3000, interval: 10 }).toBe('miss');
    expect((await ask(b, 'What is the refund policy?', { 'x-semcache-namespace': 'faq' })).status).toBe('exact-hit');
    expect(((await (await admin(a, 'DELETE', '/admin/namespaces/faq')).json()) as { deleted: number }).deleted).toBe(1);
    expect((await ask(b, 'What is the refund policy?', { 'x-semcache-namespace': 'faq', 'cache-control': 'no-store' })).status).toBe('miss');
  });
});
