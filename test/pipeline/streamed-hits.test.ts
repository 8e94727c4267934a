// A streamed hit follows OpenAI's chunk format exactly, whatever form the answer was stored in.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { chatRequest, readSse } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;
let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  embedder = await useEmbedder();
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent' }, deps: { embedder } });
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-stream', maxRetries: 0 });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
});

const post = (body: string): Promise<Response> =>
  fetch(`${stack.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-stream' }, body });

interface Chunk {
  id: string;
  object: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

describe('streamed hits', () => {
  it('replays a non-streamed answer as a stream in OpenAI wire format, without usage unless asked', async () => {
    const stored = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Describe the HNSW graph' }] });
    const res = await post(chatRequest('Describe the HNSW graph', { stream: true }));
    expect(res.headers.get('x-semcache-status')).toBe('exact-hit');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const { data } = await readSse(res);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]?.id).not.toBe(stored.id);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason !== null);
    expect(finishes).toHaveLength(1);
    expect(finishes[0]).toBe(chunks.at(-1));
    expect(finishes[0]?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(stored.choices[0]?.message.content);
  });

  it('adds the usage chunk, and usage null elsewhere, when include_usage asks', async () => {
    const stored = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Count my tokens' }] });
    const res = await post(chatRequest('Count my tokens', { stream: true, stream_options: { include_usage: true } }));
    const chunks = (await readSse(res)).data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(stored.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('hits a streamed answer, and the SDK stream helper reassembles exactly the cached text', async () => {
    const first = client.chat.completions.stream({ model: 'sim-model', messages: [{ role: 'user', content: 'How can I update my billing address?' }] });
    const firstText = await first.finalContent();
    expect(firstText).toContain('Answer to: How can I update my billing address?');

    const secondRaw = await client.chat.completions
      .create({ model: 'sim-model', stream: true, messages: [{ role: 'user', content: 'How do I update my billing address?' }] })
      .withResponse();
    expect(secondRaw.response.headers.get('x-semcache-status')).toBe('semantic-hit');
    let streamed = '';
    for await (const chunk of secondRaw.data) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(firstText);

    const helper = client.chat.completions.stream({ model: 'sim-model', messages: [{ role: 'user', content: 'How do I update my billing address?' }] });
    expect(await helper.finalContent()).toBe(firstText);
    const whole = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'How do I update my billing address?' }] });
    expect(whole.choices[0]?.message.content).toBe(firstText);
  });

  it('keeps the usage chunk it asked for from a client that did not ask, and counts it', async () => {
    const res = await post(chatRequest('A streamed miss without usage', { stream: true }));
    expect(res.headers.get('x-semcache-status')).toBe('miss');
    const chunks = (await readSse(res)).data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    const body = stack.sim.stats.lastBody as { stream_options?: { include_usage?: boolean } };
    expect(body.stream_options?.include_usage).toBe(true);
    const hit = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'A streamed miss without usage' }] });
    expect(hit.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('counts a bypassed stream from a usage chunk the client never sees', async () => {
    const processed = async (): Promise<number> => {
      const text = await (await fetch(`${stack.origin}/metrics`)).text();
      return [...text.matchAll(/semcache_tokens_processed_total\{model="sim-model",type="output"\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const before = await processed();
    const res = await fetch(`${stack.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-stream', 'x-semcache-bypass': '1' },
      body: chatRequest('A bypassed stream', { stream: true }),
    });
    expect(res.headers.get('x-semcache-status')).toBe('bypass');
    const { data } = await readSse(res);
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.some((c) => 'usage' in c || c.choices.length === 0)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toContain('Answer to: A bypassed stream');
    await expect.poll(processed).toBe(before + 48);
  });

  it('streams a legacy completion hit as text_completion chunks', async () => {
    const stored = await client.completions.create({ model: 'sim-model', prompt: 'Once upon a time' });
    const res = await fetch(`${stack.baseURL}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-stream' },
      body: JSON.stringify({ model: 'sim-model', prompt: 'Once upon a time', stream: true }),
    });
    const chunks = (await readSse(res)).data
      .slice(0, -1)
      .map((d) => JSON.parse(d) as { object: string; choices: Array<{ text: string; finish_reason: string | null }> });
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).toBe(stored.choices[0]?.text);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });
});
