// An upstream failure, a truncated stream, a client abort or a timeout never leaves an entry:
// the next identical request misses and goes upstream again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;
let stack: Stack;

beforeAll(async () => {
  embedder = await useEmbedder();
  stack = await startStack({
    env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_UPSTREAM_TIMEOUT_MS: '400', SEMCACHE_ADMIN_TOKEN: 'admin' },
    deps: { embedder },
    sim: { tokensPerSecond: 0 },
  });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
});

function post(body: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(signal === undefined ? {} : { signal }),
  });
}

async function entries(): Promise<number> {
  const stats = await fetch(`${stack.origin}/admin/stats`, { headers: { authorization: 'Bearer admin' } });
  return ((await stats.json()) as { entries: number }).entries;
}

async function expectNextMisses(question: string, stream = false): Promise<void> {
  const res = await post(chatRequest(question, { stream }));
  expect(res.status).toBe(200);
  expect(res.headers.get('x-semcache-status')).toBe('miss');
  await res.text();
}

describe('nothing stored', () => {
  it('after an upstream error', async () => {
    const before = await entries();
    const res = await post(chatRequest('error case question'), { 'x-sim-fault': 'error=500' });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-semcache-status')).toBe('miss');
    await res.text();
    expect(await entries()).toBe(before);
    await expectNextMisses('error case question');
  });

  it('after a stream cut mid-way', async () => {
    const before = await entries();
    const res = await post(chatRequest('cut stream question', { stream: true }), { 'x-sim-fault': 'cut=3' });
    await expect(res.text()).rejects.toThrow();
    expect(await entries()).toBe(before);
    await expectNextMisses('cut stream question', true);
  });

  it('after a non-streamed body cut mid-way', async () => {
    const before = await entries();
    const res = await post(chatRequest('cut body question'), { 'x-sim-fault': 'cut=1' });
    expect(res.status).toBe(502);
    await res.text();
    expect(await entries()).toBe(before);
    await expectNextMisses('cut body question');
  });

  it('after the client aborts mid-stream, and the upstream request is aborted too', async () => {
    const before = await entries();
    const abortedBefore = stack.sim.stats.aborted;
    const controller = new AbortController();
    const res = await post(chatRequest('abort question', { stream: true }), { 'x-sim-fault': 'tps=20' }, controller.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => stack.sim.stats.aborted, { timeout: 5000 }).toBe(abortedBefore + 1);
    expect(await entries()).toBe(before);
    await expectNextMisses('abort question', true);
  });

  it('after an upstream timeout', async () => {
    const before = await entries();
    const res = await post(chatRequest('timeout question'), { 'x-sim-fault': 'stall=1500' });
    expect(res.status).toBe(504);
    await res.text();
    expect(await entries()).toBe(before);
    await expectNextMisses('timeout question');
  });

  it('for an answer cut by max_tokens only when it is whole: finish_reason length is stored, content_filter never', async () => {
    const res = await post(chatRequest('a long answer please', { max_tokens: 5 }));
    expect(((await res.json()) as { choices: Array<{ finish_reason: string }> }).choices[0]?.finish_reason).toBe('length');
    const again = await post(chatRequest('a long answer please', { max_tokens: 5 }));
    expect(again.headers.get('x-semcache-status')).toBe('exact-hit');
    await again.text();
  });
});

describe('single flight', () => {
  it('sends identical concurrent requests upstream once', async () => {
    const before = stack.sim.stats.byPath['/v1/chat/completions'] ?? 0;
    const body = chatRequest('concurrent identical question');
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(body, { 'x-sim-fault': 'ttft=300' })));
    const statuses = responses.map((r) => r.headers.get('x-semcache-status')).sort();
    const texts = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content),
    );
    expect(statuses).toEqual(['exact-hit', 'exact-hit', 'exact-hit', 'exact-hit', 'miss']);
    expect(new Set(texts).size).toBe(1);
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(before + 1);
  });
});
