// The cache through the official SDK, the real embedder and index, and the simulated upstream,
// whose answers say which prompt they were made for.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;
let stack: Stack;
let client: OpenAI;

interface Sent {
  content: string;
  status: string | null;
  similarity: string | null;
  entryId: string | null;
}

async function ask(question: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}, api: OpenAI = client): Promise<Sent> {
  const { data, response } = await api.chat.completions
    .create({ model: 'sim-model', messages: [{ role: 'user', content: question }], ...extra })
    .withResponse();
  return {
    content: data.choices[0]?.message.content ?? '',
    status: response.headers.get('x-semcache-status'),
    similarity: response.headers.get('x-semcache-similarity'),
    entryId: response.headers.get('x-semcache-entry-id'),
  };
}

beforeAll(async () => {
  embedder = await useEmbedder();
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent' }, deps: { embedder } });
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-tenant-a', maxRetries: 0 });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
});

describe('exact and semantic hits', () => {
  it('misses, hits exactly, hits a paraphrase with the first answer, and misses an unrelated question', async () => {
    const first = await ask('How do I reset my password?');
    expect(first.status).toBe('miss');
    expect(first.content).toContain('Answer to: How do I reset my password?');
    const upstreamCalls = stack.sim.stats.byPath['/v1/chat/completions'];

    const again = await ask('How do I reset my password?');
    expect(again).toMatchObject({ status: 'exact-hit', similarity: '1.0000', content: first.content });

    const paraphrase = await ask('How can I reset my password?');
    expect(paraphrase.status).toBe('semantic-hit');
    expect(paraphrase.content).toBe(first.content);
    expect(Number(paraphrase.similarity)).toBeGreaterThanOrEqual(0.95);
    expect(Number(paraphrase.similarity)).toBeLessThan(1);
    expect(paraphrase.entryId).toBe(again.entryId);
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(upstreamCalls);

    const unrelated = await ask('What is the boiling point of water?');
    expect(unrelated.status).toBe('miss');
    expect(unrelated.content).toContain('Answer to: What is the boiling point of water?');
  });

  it('serves a legacy completion hit as a text_completion', async () => {
    const first = await client.completions.create({ model: 'sim-model', prompt: 'Write a haiku about caches' }).withResponse();
    const second = await client.completions.create({ model: 'sim-model', prompt: 'Write a haiku about caches' }).withResponse();
    expect(first.response.headers.get('x-semcache-status')).toBe('miss');
    expect(second.response.headers.get('x-semcache-status')).toBe('exact-hit');
    expect(second.data.object).toBe('text_completion');
    expect(second.data.choices[0]?.text).toBe(first.data.choices[0]?.text);
    expect(second.data.id).not.toBe(first.data.id);
    expect(second.data.usage).toEqual(first.data.usage);
  });
});

describe('what must never be shared', () => {
  const question = 'Which port does PostgreSQL listen on?';

  beforeAll(async () => {
    expect((await ask(question, { temperature: 0 })).status).toBe('miss');
    expect((await ask(question, { temperature: 0 })).status).toBe('exact-hit');
  });

  it('misses for another system prompt', async () => {
    const sent = await client.chat.completions
      .create({
        model: 'sim-model',
        temperature: 0,
        messages: [
          { role: 'system', content: 'Answer in French.' },
          { role: 'user', content: question },
        ],
      })
      .withResponse();
    expect(sent.response.headers.get('x-semcache-status')).toBe('miss');
  });

  it('misses for other earlier turns', async () => {
    const sent = await client.chat.completions
      .create({
        model: 'sim-model',
        temperature: 0,
        messages: [
          { role: 'user', content: 'We are talking about MySQL.' },
          { role: 'assistant', content: 'OK.' },
          { role: 'user', content: question },
        ],
      })
      .withResponse();
    expect(sent.response.headers.get('x-semcache-status')).toBe('miss');
  });

  it('misses for another model', async () => {
    expect((await ask(question, { temperature: 0, model: 'sim-model-large' })).status).toBe('miss');
  });

  it('misses for another temperature', async () => {
    expect((await ask(question, { temperature: 0.7 })).status).toBe('miss');
  });

  it('misses for another API key, and that key gets its own entry', async () => {
    const other = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-tenant-b', maxRetries: 0 });
    expect((await ask(question, { temperature: 0 }, other)).status).toBe('miss');
    expect((await ask(question, { temperature: 0 }, other)).status).toBe('exact-hit');
  });

  it('shares a namespace across keys only when the operator declared it shared', async () => {
    const shared = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_SHARED_NAMESPACES: 'faq' }, deps: { embedder } });
    try {
      const keyA = new OpenAI({ baseURL: shared.baseURL, apiKey: 'sk-a', maxRetries: 0, defaultHeaders: { 'x-semcache-namespace': 'faq' } });
      const keyB = new OpenAI({ baseURL: shared.baseURL, apiKey: 'sk-b', maxRetries: 0, defaultHeaders: { 'x-semcache-namespace': 'faq' } });
      const keyBPrivate = new OpenAI({ baseURL: shared.baseURL, apiKey: 'sk-b', maxRetries: 0, defaultHeaders: { 'x-semcache-namespace': 'notes' } });
      const keyAPrivate = new OpenAI({ baseURL: shared.baseURL, apiKey: 'sk-a', maxRetries: 0, defaultHeaders: { 'x-semcache-namespace': 'notes' } });
      expect((await ask('What are your opening hours?', {}, keyA)).status).toBe('miss');
      expect((await ask('What are your opening hours?', {}, keyB)).status).toBe('exact-hit');
      expect((await ask('Where did I park?', {}, keyAPrivate)).status).toBe('miss');
      expect((await ask('Where did I park?', {}, keyBPrivate)).status).toBe('miss');
    } finally {
      await shared.close();
    }
  });
});
