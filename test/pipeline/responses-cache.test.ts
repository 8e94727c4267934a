// The Responses API cached, through the official SDK: the same tiers, headers, metrics and
// nothing-stored-on-failure rules as chat, and hits that keep the stored response's id usable for
// previous_response_id at the upstream.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;
let stack: Stack;
let client: OpenAI;
const ADMIN = 'admin-responses';

beforeAll(async () => {
  embedder = await useEmbedder();
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: ADMIN, SEMCACHE_SHARED_NAMESPACES: 'faq' }, deps: { embedder } });
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-responses', maxRetries: 0 });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
});

const upstreamCalls = (): number => stack.sim.stats.byPath['/v1/responses'] ?? 0;

async function create(body: OpenAI.Responses.ResponseCreateParamsNonStreaming, headers: Record<string, string> = {}) {
  const { data, response } = await client.responses.create(body, { headers }).withResponse();
  return { response: data, status: response.headers.get('x-semcache-status'), headers: response.headers };
}

/** Reads a streamed answer with the SDK: the text of its deltas, its last event's response, the event types. */
async function stream(body: OpenAI.Responses.ResponseCreateParamsNonStreaming) {
  const { data, response } = await client.responses.create({ ...body, stream: true }).withResponse();
  let text = '';
  let completed: OpenAI.Responses.Response | undefined;
  const numbers: number[] = [];
  for await (const event of data) {
    numbers.push(event.sequence_number);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  return { text, completed, numbers, status: response.headers.get('x-semcache-status') };
}

describe('Responses API caching', () => {
  it('misses, then hits the same input exactly with the stored response, its id included', async () => {
    const before = upstreamCalls();
    const first = await create({ model: 'sim-model', input: 'What does a vector index store?' });
    expect(first.status).toBe('miss');
    const second = await create({ model: 'sim-model', input: 'What does a vector index store?' });
    expect(second.status).toBe('exact-hit');
    expect(second.response).toEqual(first.response);
    expect(second.response.output_text).toContain('Answer to: What does a vector index store?');
    expect(second.headers.get('x-semcache-entry-id')).toBe(first.headers.get('x-semcache-entry-id'));
    expect(upstreamCalls() - before).toBe(1);
  });

  it('hits a paraphrase by meaning', async () => {
    const original = await create({ model: 'sim-model', input: 'How can I update my billing address?' });
    // The list form of a user message is keyed as the string input is.
    const paraphrase = await create({
      model: 'sim-model',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'How do I update my billing address?' }] }],
    });
    expect(paraphrase.status).toBe('semantic-hit');
    expect(Number(paraphrase.headers.get('x-semcache-similarity'))).toBeGreaterThanOrEqual(0.95);
    expect(paraphrase.response.output_text).toBe(original.response.output_text);
    expect(paraphrase.response.id).toBe(original.response.id);
  });

  it('misses when the instructions differ', async () => {
    const before = upstreamCalls();
    await create({ model: 'sim-model', instructions: 'Answer in French.', input: 'Name a primary colour.' });
    const other = await create({ model: 'sim-model', instructions: 'Answer in German.', input: 'Name a primary colour.' });
    expect(other.status).toBe('miss');
    expect(upstreamCalls() - before).toBe(2);
    expect((await create({ model: 'sim-model', instructions: 'Answer in German.', input: 'Name a primary colour.' })).status).toBe('exact-hit');
  });

  it('replays a streamed hit as the Responses event sequence: same text, same completed response', async () => {
    const original = await stream({ model: 'sim-model', input: 'Explain cosine similarity briefly.' });
    expect(original.status).toBe('miss');
    expect(original.completed).toBeDefined();
    const hit = await stream({ model: 'sim-model', input: 'Explain cosine similarity briefly.' });
    expect(hit.status).toBe('exact-hit');
    expect(hit.text).toBe(original.text);
    expect(hit.text).toContain('Answer to: Explain cosine similarity briefly.');
    expect(hit.completed).toEqual(original.completed);
    expect(hit.numbers).toEqual(hit.numbers.map((_, i) => i));
    // The SDK's stream helper rebuilds the same final response.
    const helper = await client.responses.stream({ model: 'sim-model', input: 'Explain cosine similarity briefly.' }).finalResponse();
    expect(helper.id).toBe(original.completed?.id);
    expect(helper.output[0]).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: original.text }] });
    // A whole request is served the same response from the entry the stream stored.
    const whole = await create({ model: 'sim-model', input: 'Explain cosine similarity briefly.' });
    expect(whole.status).toBe('exact-hit');
    expect(whole.response.output_text).toBe(original.text);
    expect(whole.response.id).toBe(original.completed?.id);
  });

  it('serves an id the upstream holds: a follow-up on a hit continues at the upstream', async () => {
    const first = await create({ model: 'sim-model', input: 'Which planet is largest?' });
    const hit = await create({ model: 'sim-model', input: 'Which planet is largest?' });
    expect(hit.status).toBe('exact-hit');
    const followUp = await create({ model: 'sim-model', previous_response_id: hit.response.id, input: 'And the smallest?' });
    expect(followUp.status).toBe('miss');
    expect(followUp.response.previous_response_id).toBe(first.response.id);
    expect(followUp.response.output_text).toContain('Answer to: And the smallest?');
    // Another conversation's follow-up with the same words is keyed apart.
    const other = await create({ model: 'sim-model', input: 'Which moon is largest?' });
    const otherFollowUp = await create({ model: 'sim-model', previous_response_id: other.response.id, input: 'And the smallest?' });
    expect(otherFollowUp.status).toBe('miss');
    expect((await create({ model: 'sim-model', previous_response_id: hit.response.id, input: 'And the smallest?' })).status).toBe('exact-hit');
  });

  it('keys store: false apart from stored responses (its id is not held upstream)', async () => {
    await create({ model: 'sim-model', input: 'Keep this one?' });
    const unstored = await create({ model: 'sim-model', input: 'Keep this one?', store: false });
    expect(unstored.status).toBe('miss');
    expect((await create({ model: 'sim-model', input: 'Keep this one?', store: true })).status).toBe('exact-hit');
  });

  it('bypasses background responses, conversations, logprobs, and stored responses in a shared namespace', async () => {
    const reasons = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const res = await fetch(`${stack.baseURL}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-responses', ...headers },
        body: JSON.stringify({ model: 'sim-model', input: 'Bypass me', ...body }),
      });
      await res.arrayBuffer();
      return [res.headers.get('x-semcache-status'), res.headers.get('x-semcache-bypass-reason')];
    };
    expect(await reasons({ background: true })).toEqual(['bypass', 'background']);
    expect(await reasons({ conversation: 'conv_1' })).toEqual(['bypass', 'conversation']);
    expect(await reasons({ include: ['message.output_text.logprobs'] })).toEqual(['bypass', 'logprobs']);
    expect(await reasons({}, { 'x-semcache-namespace': 'faq' })).toEqual(['bypass', 'stored-response-shared']);
    expect(await reasons({ store: false }, { 'x-semcache-namespace': 'faq' })).toEqual(['miss', null]);
  });

  it('stores nothing from a cut stream or an incomplete answer', async () => {
    const cut = client.responses.create({ model: 'sim-model', input: 'Cut this stream', stream: true }, { headers: { 'x-sim-fault': 'cut=5' } });
    await expect(
      (async () => {
        for await (const _event of await cut);
      })(),
    ).rejects.toThrow();
    expect((await create({ model: 'sim-model', input: 'Cut this stream' })).status).toBe('miss');
    const incomplete = await create({ model: 'sim-model', input: 'Stop early', max_output_tokens: 3 });
    expect(incomplete.response.status).toBe('incomplete');
    expect((await create({ model: 'sim-model', input: 'Stop early', max_output_tokens: 3 })).status).toBe('miss');
  });

  it('counts input and output tokens like chat, under the responses endpoint label', async () => {
    const costs = async () =>
      (await (await fetch(`${stack.origin}/admin/costs`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as {
        tokens: { savedInput: number; savedOutput: number; processedInput: number; processedOutput: number };
      };
    const before = await costs();
    const miss = await create({ model: 'sim-model', input: 'Count these tokens, please.' });
    await create({ model: 'sim-model', input: 'Count these tokens, please.' });
    const after = await costs();
    const usage = miss.response.usage!;
    expect(after.tokens.processedInput - before.tokens.processedInput).toBe(usage.input_tokens);
    expect(after.tokens.processedOutput - before.tokens.processedOutput).toBe(usage.output_tokens);
    expect(after.tokens.savedInput - before.tokens.savedInput).toBe(usage.input_tokens);
    expect(after.tokens.savedOutput - before.tokens.savedOutput).toBe(usage.output_tokens);
    const metrics = await (await fetch(`${stack.origin}/metrics`)).text();
    expect(metrics).toMatch(/semcache_requests_total\{endpoint="responses",model="sim-model",cache_status="exact-hit"\} [1-9]/);
  });

  it('refuses a malformed body in OpenAI error shape, naming the parameter', async () => {
    const res = await fetch(`${stack.baseURL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-model', input: [{ role: 'user', content: [{ type: 'input_text', text: 7 }] }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "Invalid type for 'input[0].content[0].text': expected a string.",
        type: 'invalid_request_error',
        param: 'input[0].content[0].text',
        code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
      },
    });
  });
});
