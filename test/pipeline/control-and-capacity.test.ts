// Per-request control headers, TTL expiry and LRU eviction, through the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;

beforeAll(async () => {
  embedder = await useEmbedder();
});
afterAll(() => embedder.close());

interface Sent {
  status: string | null;
  code: number;
  content: string;
  guard: string | null;
  similarity: string | null;
  supported: string | null;
}

async function send(stack: Stack, question: string, headers: Record<string, string> = {}): Promise<Sent> {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: chatRequest(question),
  });
  const body = (await res.json()) as { choices?: Array<{ message: { content: string } }> };
  return {
    status: res.headers.get('x-semcache-status'),
    code: res.status,
    content: body.choices?.[0]?.message.content ?? '',
    guard: res.headers.get('x-semcache-guard'),
    similarity: res.headers.get('x-semcache-similarity'),
    supported: res.headers.get('x-semcache-supported-similarity'),
  };
}

describe('control headers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_THRESHOLD_MIN: '0.85' }, deps: { embedder } });
  });
  afterAll(() => stack.close());

  it('no-cache skips the lookup and stores the fresh answer', async () => {
    await send(stack, 'What does no-cache do?');
    const before = stack.sim.stats.byPath['/v1/chat/completions'] ?? 0;
    const fresh = await send(stack, 'What does no-cache do?', { 'cache-control': 'no-cache', 'x-sim-fault': 'salt=v2' });
    expect(fresh.status).toBe('miss');
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(before + 1);
    const after = await send(stack, 'What does no-cache do?');
    expect(after.status).toBe('exact-hit');
    expect(after.content).toBe(fresh.content);
  });

  it('no-store looks up but stores nothing', async () => {
    expect((await send(stack, 'What does no-store do?', { 'cache-control': 'no-store' })).status).toBe('miss');
    expect((await send(stack, 'What does no-store do?', { 'cache-control': 'no-store' })).status).toBe('miss');
    expect((await send(stack, 'What does no-store do?')).status).toBe('miss');
    expect((await send(stack, 'What does no-store do?', { 'cache-control': 'no-store' })).status).toBe('exact-hit');
  });

  it('x-semcache-bypass forwards without lookup or store', async () => {
    await send(stack, 'Bypass me');
    expect((await send(stack, 'Bypass me', { 'x-semcache-bypass': '1' })).status).toBe('bypass');
  });

  it('x-semcache-threshold loosens or tightens the threshold within bounds, and rejects values outside them', async () => {
    await send(stack, 'What is the capital of France?');
    // 0.93 apart under USE-lite: a miss at the default 0.95, a hit at 0.9.
    expect((await send(stack, 'What is the capital city of France?', { 'cache-control': 'no-store' })).status).toBe('miss');
    expect((await send(stack, 'What is the capital city of France?', { 'x-semcache-threshold': '0.9', 'cache-control': 'no-store' })).status).toBe(
      'semantic-hit',
    );
    expect((await send(stack, "What's the capital of France?", { 'x-semcache-threshold': '0.999', 'cache-control': 'no-store' })).status).toBe('miss');
    const rejected = await fetch(`${stack.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-semcache-threshold': '0.5' },
      body: chatRequest('x'),
    });
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { error: { code: string; param: string } }).error).toMatchObject({
      code: 'SEMCACHE_ERR_CACHE_THRESHOLD_OUT_OF_BOUNDS',
      param: 'x-semcache-threshold',
    });
  });

  it('names the guard that turned a close candidate into a miss', async () => {
    await send(stack, 'How do I enable two-factor authentication?');
    const disable = await send(stack, 'How do I disable two-factor authentication?', { 'x-semcache-threshold': '0.9' });
    expect(disable.status).toBe('miss');
    expect(disable.guard).toBe('polarity');
    expect(disable.content).toContain('Answer to: How do I disable two-factor authentication?');
  });

  it('never serves the answer about one piece of code for code indented differently (code guard)', async () => {
    const indented = 'Why does this loop print only once?\n```python\nfor x in items:\n    print(x)\n    break\n```';
    const dedented = 'Why does this loop print only once?\n```python\nfor x in items:\n    print(x)\nbreak\n```';
    await send(stack, indented);
    const other = await send(stack, dedented, { 'cache-control': 'no-store' });
    expect(other.status).toBe('miss');
    expect(other.guard).toBe('code');
    // The same code asked in other words is still a hit.
    const reworded = await send(stack, indented.replace('Why does this loop print only once?', 'Why does this loop only print once?'), {
      'cache-control': 'no-store',
    });
    expect(reworded.status).toBe('semantic-hit');
  });

  it('charges a candidate below 0.95 for the word it does not share (support guard)', async () => {
    await send(stack, 'How do I get my card?');
    // 0.929 apart under USE-lite, one word ("work") not shared: 0.929 - 0.02 = 0.909.
    const strict = await send(stack, 'How do I get my card to work?', { 'x-semcache-threshold': '0.92', 'cache-control': 'no-store' });
    expect(strict.status).toBe('miss');
    expect(strict.guard).toBe('support');
    const loose = await send(stack, 'How do I get my card to work?', { 'x-semcache-threshold': '0.9', 'cache-control': 'no-store' });
    expect(loose.status).toBe('semantic-hit');
    expect(loose.content).toContain('Answer to: How do I get my card?');
    // The hit reports both its cosine and the similarity it was judged by.
    expect(Number(loose.similarity) - Number(loose.supported)).toBeCloseTo(0.02, 4);
  });
});

describe('capacity and freshness', () => {
  it('expires entries after the TTL', async () => {
    let now = 1_000_000;
    const stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_TTL_SECONDS: '60' }, deps: { embedder, now: () => now } });
    try {
      await send(stack, 'Will this expire?');
      now += 59_000;
      expect((await send(stack, 'Will this expire?')).status).toBe('exact-hit');
      expect((await send(stack, 'Will this expire soon?', { 'x-semcache-threshold': '0.85' })).status).toBe('semantic-hit');
      now += 2_000;
      expect((await send(stack, 'Will this expire soon?', { 'x-semcache-threshold': '0.85', 'cache-control': 'no-store' })).status).toBe('miss');
      expect((await send(stack, 'Will this expire?')).status).toBe('miss');
    } finally {
      await stack.close();
    }
  });

  it('evicts the least recently used entry past the entry bound, from both tiers', async () => {
    const stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_MAX_ENTRIES: '2', SEMCACHE_ADMIN_TOKEN: 't' }, deps: { embedder } });
    try {
      await send(stack, 'How do I reset my password?');
      await send(stack, 'Where is my parcel?');
      expect((await send(stack, 'How do I reset my password?')).status).toBe('exact-hit');
      await send(stack, 'What time do you open?');
      expect((await send(stack, 'Where is my parcel?', { 'cache-control': 'no-store' })).status).toBe('miss');
      expect((await send(stack, 'How can I reset my password?', { 'cache-control': 'no-store' })).status).toBe('semantic-hit');
      const stats = (await (await fetch(`${stack.origin}/admin/stats`, { headers: { authorization: 'Bearer t' } })).json()) as {
        entries: number;
        vectors: number;
      };
      expect(stats).toMatchObject({ entries: 2, vectors: 2 });
      const metrics = await (await fetch(`${stack.origin}/metrics`)).text();
      expect(metrics).toMatch(/semcache_evictions_total\{reason="lru-entries"\} 1\b/);
    } finally {
      await stack.close();
    }
  });
});
