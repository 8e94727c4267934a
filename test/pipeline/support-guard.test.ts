// The support guard through the real app: the charge decides hits, is reported, and is honoured by
// requests that wait on an identical one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, handEmbedder } from '../helpers/hand-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

// Hand-made vectors: the query sits at cosine 0.93 from the stored prompt and adds one word
// ("work"), so the support guard judges it at 0.93 - 0.02 = 0.91.
const STORED = 'How do I get my card?';
const QUERY = 'How do I get my card to work?';
const VECTORS = new Map([
  [STORED, at(0)],
  [QUERY, at(Math.acos(0.93))],
]);
let delay = 0;
const embedder = handEmbedder(VECTORS, () => delay);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_THRESHOLD_MIN: '0.8', SEMCACHE_GUARDS: 'support', SEMCACHE_LOG_LEVEL: 'silent' }, deps: { embedder } });
  await (await post(STORED)).text();
});
afterAll(() => stack.close());

function post(prompt: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: chatRequest(prompt) });
}

describe('support guard in the proxy', () => {
  it('serves the hit where the charged similarity reaches the threshold, reporting both similarities', async () => {
    const res = await post(QUERY, { 'x-semcache-threshold': '0.9', 'cache-control': 'no-store' });
    expect(res.headers.get('x-semcache-status')).toBe('semantic-hit');
    expect(res.headers.get('x-semcache-similarity')).toBe('0.9300');
    expect(res.headers.get('x-semcache-supported-similarity')).toBe('0.9100');
    await res.text();
  });

  it('misses where only the cosine reaches it, naming the guard', async () => {
    const res = await post(QUERY, { 'x-semcache-threshold': '0.92', 'cache-control': 'no-store' });
    expect(res.headers.get('x-semcache-status')).toBe('miss');
    expect(res.headers.get('x-semcache-guard')).toBe('support');
    await res.text();
  });

  it('a request waiting on an identical one takes its hit only if the charged similarity meets its own threshold', async () => {
    delay = 200;
    // The leader may store (a no-store request leads no flight); the follower waits for it.
    const leader = post(QUERY, { 'x-semcache-threshold': '0.9' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const follower = post(QUERY, { 'x-semcache-threshold': '0.92', 'cache-control': 'no-store' });
    const [a, b] = await Promise.all([leader, follower]);
    delay = 0;
    expect(a.headers.get('x-semcache-status')).toBe('semantic-hit');
    expect(b.headers.get('x-semcache-status')).toBe('miss');
    await Promise.all([a.text(), b.text()]);
  });
});
