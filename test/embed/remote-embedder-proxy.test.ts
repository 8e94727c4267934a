// The proxy with SEMCACHE_EMBEDDER=openai, through the official SDK: the simulated upstream answers the
// completions and (on another port) the embeddings. The simulator's vectors are equal for equal texts
// and nearly orthogonal otherwise, so a prompt that differs from a cached one only in its spacing (a new
// exact key, the same embedded text) is a semantic hit at similarity 1.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimUpstream, type SimUpstream } from '../../src/tools/sim/sim-app.js';
import type { SimOptions } from '../../src/tools/sim/sim-options.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** What /readyz says of the store these tests run on. */
const MEMORY_STORE = { kind: 'memory', indexBehind: 0 };

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

async function embeddingsEndpoint(options: Partial<SimOptions> = {}): Promise<SimUpstream> {
  const sim = await startSimUpstream(options);
  opened.push(sim);
  return sim;
}

async function proxy(embedUrl: string, env: Record<string, string> = {}): Promise<{ stack: Stack; client: OpenAI }> {
  const stack = await startStack({
    env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_EMBEDDER: 'openai', SEMCACHE_EMBED_URL: embedUrl, SEMCACHE_EMBED_MODEL: 'sim-embed', ...env },
  });
  opened.push(stack);
  return { stack, client: new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-tenant', maxRetries: 0 }) };
}

async function ask(client: OpenAI, question: string): Promise<{ status: string | null; content: string }> {
  const { data, response } = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: question }] }).withResponse();
  return { status: response.headers.get('x-semcache-status'), content: data.choices[0]?.message.content ?? '' };
}

describe('proxy with a remote embedder', () => {
  it("serves a semantic hit from the endpoint's vectors and keys the entry by the endpoint's model", async () => {
    const endpoint = await embeddingsEndpoint();
    const { stack, client } = await proxy(endpoint.url);
    const first = await ask(client, 'How do I reset my password?');
    const spaced = await ask(client, 'How do I  reset my   password?');
    expect(first.status).toBe('miss');
    expect(spaced).toEqual({ status: 'semantic-hit', content: first.content });
    const entries = await stack.app.inject({ method: 'GET', url: '/readyz' });
    expect(entries.json()).toEqual({ status: 'ready', store: MEMORY_STORE });
    const metrics = await stack.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^semcache_embedder_up 1$/m);
  });

  it('answers every request while the endpoint is down (exact tier and upstream), and says so in /readyz and /metrics', async () => {
    const port = await freePort();
    const { stack, client } = await proxy(`http://127.0.0.1:${port}/v1`, { SEMCACHE_EMBED_DIMENSION: '64' });
    const first = await ask(client, 'How do I reset my password?');
    const again = await ask(client, 'How do I reset my password?');
    const spaced = await ask(client, 'How do I  reset my   password?');
    expect([first.status, again.status, spaced.status]).toEqual(['miss', 'exact-hit', 'miss']);
    expect(again.content).toBe(first.content);
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(2);
    const ready = await stack.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'degraded',
      degraded: { embedder: expect.stringContaining(`embeddings endpoint http://127.0.0.1:${port}/v1/embeddings:`) },
      store: MEMORY_STORE,
    });
    const metrics = await stack.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^semcache_embedder_up 0$/m);
  });

  it('answers every request while the endpoint answers errors', async () => {
    const failing = await embeddingsEndpoint({ errorRate: 1, errorStatus: 500 });
    const { stack, client } = await proxy(failing.url, { SEMCACHE_EMBED_DIMENSION: '64' });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(client, `question ${i}`)));
    expect(answers.map((a) => a.content.includes(`Answer to: question`))).toEqual(Array(8).fill(true));
    expect((await stack.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'degraded',
      degraded: { embedder: expect.stringMatching(/answered 500$/) },
      store: MEMORY_STORE,
    });
  });

  it('keeps answering when a working endpoint goes away', async () => {
    const endpoint = await embeddingsEndpoint();
    const { client } = await proxy(endpoint.url);
    expect((await ask(client, 'before')).status).toBe('miss');
    await endpoint.close();
    const after = await Promise.all(['after 1', 'after 2', 'after 3', 'after 4'].map((q) => ask(client, q)));
    expect(after.map((a) => a.content.includes('Answer to: after'))).toEqual([true, true, true, true]);
    expect((await ask(client, 'before')).status).toBe('exact-hit');
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
