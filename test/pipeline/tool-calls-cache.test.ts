// A chat answer that calls a tool is cached like any other, and replayed, whole or streamed, with
// the same call.
import OpenAI from 'openai';
import type { ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';

/** The function of a chat tool call (the SDK's type also admits custom tools). */
const fn = (call: unknown) => (call as ChatCompletionMessageFunctionToolCall | undefined)?.function;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;
let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  embedder = await useEmbedder();
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent' }, deps: { embedder } });
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-tools', maxRetries: 0 });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
});

const tools = [
  {
    type: 'function' as const,
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];
const ask = (content: string) => ({ model: 'sim-model', messages: [{ role: 'user' as const, content }], tools });

describe('tool calls through the cache', () => {
  it('serves the stored tool call on an exact hit, whole and streamed', async () => {
    const { data: first, response } = await client.chat.completions.create(ask('Use get_weather for Lisbon')).withResponse();
    expect(response.headers.get('x-semcache-status')).toBe('miss');
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Use get_weather for Lisbon"}' } });

    const { data: again, response: againResponse } = await client.chat.completions.create(ask('Use get_weather for Lisbon')).withResponse();
    expect(againResponse.headers.get('x-semcache-status')).toBe('exact-hit');
    expect(again.choices[0]?.message.tool_calls).toEqual(first.choices[0]?.message.tool_calls);
    expect(again.choices[0]?.finish_reason).toBe('tool_calls');

    const streamed = await client.chat.completions.stream(ask('Use get_weather for Lisbon')).finalChatCompletion();
    expect(fn(streamed.choices[0]?.message.tool_calls?.[0])).toEqual(fn(call));
    expect(streamed.choices[0]?.message.tool_calls?.[0]?.id).toBe(call?.id);
  });

  it('stores a streamed tool call and serves it whole', async () => {
    const streamed = await client.chat.completions.stream(ask('Please call get_weather for Rome')).finalChatCompletion();
    const { data, response } = await client.chat.completions.create(ask('Please call get_weather for Rome')).withResponse();
    expect(response.headers.get('x-semcache-status')).toBe('exact-hit');
    expect(fn(data.choices[0]?.message.tool_calls?.[0])).toEqual(fn(streamed.choices[0]?.message.tool_calls?.[0]));
    expect(fn(data.choices[0]?.message.tool_calls?.[0])?.arguments).toBe('{"city":"Please call get_weather for Rome"}');
  });
});
