// A miss whose partition holds no vector (a new conversation, tenant or set of parameters) cannot be
// a semantic hit: it goes upstream without waiting for its prompt's embedding, which runs meanwhile,
// and its answer is stored with the vector once both are done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRequest } from '../helpers/sse.js';
import { slowEmbedder } from '../helpers/slow-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let delay = 0;
const EMBED_MS = 300;

beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: 'admin' }, deps: { embedder: slowEmbedder(() => delay) } });
});
afterAll(() => stack.close());

/** A request in a conversation of its own: the system prompt is part of the partition. */
function inConversation(conversation: string, question: string, extra: Record<string, unknown> = {}): string {
  return chatRequest(question, {
    messages: [
      { role: 'system', content: `conversation ${conversation}` },
      { role: 'user', content: question },
    ],
    ...extra,
  });
}

function send(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(5000),
  });
}

async function embeddingsCounted(): Promise<number> {
  const metrics = await (await fetch(`${stack.origin}/metrics`)).text();
  return Number(/^semcache_embedding_duration_seconds_count (\d+)/m.exec(metrics)?.[1] ?? Number.NaN);
}

const upstreamCalls = (): number => stack.sim.stats.byPath['/v1/chat/completions'] ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function stats(): Promise<{ entries: number; vectors: number }> {
  return (await (await fetch(`${stack.origin}/admin/stats`, { headers: { authorization: 'Bearer admin' } })).json()) as { entries: number; vectors: number };
}

/** Sends the request and counts the upstream's calls while its prompt is still being embedded. */
async function upstreamWhileEmbedding(body: string): Promise<{ during: number; before: number; response: Response }> {
  const before = upstreamCalls();
  delay = EMBED_MS;
  const pending = send(body);
  await sleep(EMBED_MS / 3);
  const during = upstreamCalls();
  const response = await pending;
  delay = 0;
  return { during, before, response };
}

describe('a miss with nothing to find', () => {
  it('goes upstream while its prompt is embedded, and is stored with its vector', async () => {
    const before = await stats();
    const body = inConversation('a', 'What is the capital of France?');

    const { during, before: upstreamBefore, response } = await upstreamWhileEmbedding(body);

    expect(during).toBe(upstreamBefore + 1);
    expect(response.headers.get('x-semcache-status')).toBe('miss');
    expect(response.headers.get('x-semcache-entry-id')).toMatch(/^\d+$/);
    expect((await response.json()) as unknown).toMatchObject({ object: 'chat.completion' });
    expect(await stats()).toEqual(expect.objectContaining({ entries: before.entries + 1, vectors: before.vectors + 1 }));
    const again = await send(body);
    expect(again.headers.get('x-semcache-status')).toBe('exact-hit');
    await again.text();
  });

  it('streamed: goes upstream at once, and the stream ends once the answer is stored with its vector', async () => {
    const before = await stats();
    const body = inConversation('b', 'How tall is Mont Blanc?', { stream: true });

    const { during, before: upstreamBefore, response } = await upstreamWhileEmbedding(body);
    const text = await response.text();

    expect(during).toBe(upstreamBefore + 1);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await stats()).toEqual(expect.objectContaining({ entries: before.entries + 1, vectors: before.vectors + 1 }));
    const again = await send(body);
    expect(again.headers.get('x-semcache-status')).toBe('exact-hit');
    await again.text();
  });

  it('waits for the embedding when the partition holds a vector the prompt could match', async () => {
    const first = await send(inConversation('c', 'Who wrote Les Misérables?'));
    await first.text();

    const { during, before, response } = await upstreamWhileEmbedding(inConversation('c', 'Who painted the Mona Lisa?'));

    expect(during).toBe(before);
    expect(upstreamCalls()).toBe(before + 1);
    expect(response.headers.get('x-semcache-status')).toBe('miss');
    await response.text();
  });

  it('is not embedded at all when its answer will not be stored', async () => {
    const before = await embeddingsCounted();

    const unstored = await send(inConversation('d', 'Is Pluto a planet?'), { 'cache-control': 'no-store' });
    await unstored.text();
    const afterUnstored = await embeddingsCounted();
    const stored = await send(inConversation('e', 'Is Pluto a planet?'));
    await stored.text();

    expect(unstored.headers.get('x-semcache-status')).toBe('miss');
    expect(afterUnstored).toBe(before);
    expect(await embeddingsCounted()).toBe(before + 1);
  });
});
