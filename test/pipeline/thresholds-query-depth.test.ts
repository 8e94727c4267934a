// Thresholds of requests waiting on an identical one, the query string in the key, and bodies
// nested too deeply: each with the scenario that shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, handEmbedder } from '../helpers/hand-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

// Hand-made vectors: the paraphrase sits at cosine cos(0.45) = 0.9004 from the stored question.
const VECTORS = new Map([
  ['stored question', at(0)],
  ['paraphrase', at(0.45)],
]);
let delay = 0;
const embedder = handEmbedder(VECTORS, () => delay);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_THRESHOLD_MIN: '0.8', SEMCACHE_GUARDS: 'none' }, deps: { embedder } });
});
afterAll(() => stack.close());

const post = (body: string, headers: Record<string, string> = {}, query = ''): Promise<Response> =>
  fetch(`${stack.baseURL}/chat/completions${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('thresholds of waiting requests, query strings and deep bodies', () => {
  it('a request waiting on an identical one does not take its semantic hit below its own threshold', async () => {
    await (await post(chatRequest('stored question'))).text();
    delay = 200;
    const leader = post(chatRequest('paraphrase'), { 'x-semcache-threshold': '0.85' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const follower = post(chatRequest('paraphrase'), { 'x-semcache-threshold': '0.99', 'cache-control': 'no-store' });
    const [a, b] = await Promise.all([leader, follower]);
    delay = 0;
    expect([a.headers.get('x-semcache-status'), a.headers.get('x-semcache-similarity')]).toEqual(['semantic-hit', '0.9004']);
    expect(b.headers.get('x-semcache-status')).toBe('miss');
    await Promise.all([a.text(), b.text()]);
  });

  it('keys on the query string, which is forwarded upstream, and never logs it', async () => {
    await (await post(chatRequest('query string question'), {}, '?api-version=1')).text();
    const other = await post(chatRequest('query string question'), {}, '?api-version=2');
    expect(other.headers.get('x-semcache-status')).toBe('miss');
    await other.text();
    const same = await post(chatRequest('query string question'), {}, '?api-version=1');
    expect(same.headers.get('x-semcache-status')).toBe('exact-hit');
    await same.text();
    await (await post(chatRequest('x'), {}, '?api-key=SECRET-IN-QUERY')).text();
    expect(JSON.stringify(stack.logs())).not.toContain('SECRET-IN-QUERY');
  });

  it('refuses a body nested too deeply with a 400 instead of failing while hashing it', async () => {
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await post(`{"model":"m","messages":[{"role":"user","content":"x"}],"extra":${nested}}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SEMCACHE_ERR_REQUEST_INVALID_JSON');
    expect((await post(chatRequest('still serving'))).status).toBe(200);
  });
});
