// The official openai SDK pointed at semcache (cache off: a pure proxy) in front of the simulator.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let client: OpenAI;
let direct: OpenAI;

beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_CACHE_ENABLED: 'false' } });
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-test-passthrough', maxRetries: 0 });
  direct = new OpenAI({ baseURL: stack.sim.url, apiKey: 'sk-test-passthrough', maxRetries: 0 });
});
afterAll(() => stack.close());

describe('the OpenAI SDK through the proxy', () => {
  it('gets a chat completion made for its prompt', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'What is HNSW?' }] });
    const fromUpstream = await direct.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'What is HNSW?' }] });
    expect(completion.choices[0]?.message.content).toContain('Answer to: What is HNSW?');
    expect(completion.choices[0]?.message.content).toBe(fromUpstream.choices[0]?.message.content);
    expect(completion.usage).toEqual(fromUpstream.usage);
  });

  it('gets a legacy completion', async () => {
    const completion = await client.completions.create({ model: 'sim-model', prompt: 'Say hello' });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toContain('Answer to: Say hello');
  });

  it('gets embeddings in the SDK default base64 encoding, equal to the upstream float vectors', async () => {
    const viaProxy = await client.embeddings.create({ model: 'sim-embed', input: ['alpha', 'beta'] });
    const floats = await direct.embeddings.create({ model: 'sim-embed', input: ['alpha', 'beta'], encoding_format: 'float' });
    expect(viaProxy.data).toHaveLength(2);
    for (const [i, item] of viaProxy.data.entries()) {
      const expected = floats.data[i]?.embedding ?? [];
      expect(item.embedding).toHaveLength(expected.length);
      item.embedding.forEach((value, j) => expect(value).toBeCloseTo(expected[j] ?? Number.NaN, 6));
    }
  });

  it('lists the upstream models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    const upstream = [];
    for await (const model of direct.models.list()) upstream.push(model.id);
    expect(models.length).toBeGreaterThan(0);
    expect(models).toEqual(upstream);
  });

  it('streams a chat completion whose text equals the upstream answer', async () => {
    const request = { model: 'sim-model', messages: [{ role: 'user' as const, content: 'Stream me an answer' }] };
    const stream = await client.chat.completions.create({ ...request, stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    const whole = await direct.chat.completions.create(request);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe('stop');
  });

  it('passes Authorization to the upstream unchanged and never logs it', async () => {
    const secret = 'sk-live-NEVER-LOG-THIS-0123456789';
    const keyed = new OpenAI({ baseURL: stack.baseURL, apiKey: secret, maxRetries: 0, defaultHeaders: { 'OpenAI-Organization': 'org-42' } });
    await keyed.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'keys' }] });
    expect(stack.sim.stats.lastHeaders?.authorization).toBe(`Bearer ${secret}`);
    expect(stack.sim.stats.lastHeaders?.['openai-organization']).toBe('org-42');
    const logs = stack.logs();
    expect(logs.some((line) => line.msg === 'request completed' && line.url === '/v1/chat/completions')).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(secret);
  });
});
