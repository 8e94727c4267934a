// The simulator's Responses API, read by the official SDK: whole and streamed answers, stored ids
// that follow-ups must name, its fault knobs, and tool calls.
import OpenAI from 'openai';
import type { ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';

/** The function of a chat tool call (the SDK's type also admits custom tools). */
const fn = (call: unknown) => (call as ChatCompletionMessageFunctionToolCall | undefined)?.function;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simAnswerText } from '../../../src/tools/sim/answer-text.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { postJson } from './sim-test-client.js';

/** The data of every event of a Responses stream (its events are named: `event:` then `data:`). */
function eventData(raw: string): string[] {
  return raw
    .split('\n\n')
    .map((event) =>
      event
        .split('\n')
        .find((line) => line.startsWith('data: '))
        ?.slice('data: '.length),
    )
    .filter((data): data is string => data !== undefined);
}

/** The text of a response's first message, as the SDK's output_text joins it. */
function messageText(response: { output: Array<{ type: string; content?: Array<{ type: string; text?: string }> }> }): string {
  return response.output[0]?.content?.map((part) => part.text ?? '').join('') ?? '';
}

let sim: SimUpstream;
let client: OpenAI;
beforeAll(async () => {
  sim = await startSimUpstream({ answerTokens: 16 });
  client = new OpenAI({ baseURL: sim.url, apiKey: 'sk-sim', maxRetries: 0 });
});
afterAll(() => sim.close());

const answer = (prompt: string, tokens = 16): string => simAnswerText({ model: 'sim-model', prompt, salt: '' }, { answerTokens: tokens });

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'], additionalProperties: false },
  strict: true,
};

describe('the simulator answers the Responses API', () => {
  it('answers a string input with one message, its text and usage', async () => {
    const response = await client.responses.create({ model: 'sim-model', input: 'What is a semantic cache?' });
    expect(response.id).toMatch(/^resp_sim/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(answer('What is a semantic cache?'));
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.usage).toMatchObject({ output_tokens: 16, total_tokens: (response.usage?.input_tokens ?? 0) + 16 });
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
  });

  it('answers the last user message of an input list, with instructions', async () => {
    const response = await client.responses.create({
      model: 'sim-model',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: [{ type: 'input_text', text: 'second question' }] },
      ],
    });
    expect(response.output_text).toBe(answer('second question'));
    expect(response.instructions).toBe('Be brief.');
  });

  it('streams the event sequence the SDK helper assembles, with increasing sequence numbers', async () => {
    const stream = client.responses.stream({ model: 'sim-model', input: 'Stream me' });
    const types: string[] = [];
    const numbers: number[] = [];
    stream.on('event', (event) => {
      types.push(event.type);
      numbers.push(event.sequence_number);
    });
    const final = await stream.finalResponse();
    expect(messageText(final)).toBe(answer('Stream me'));
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.filter((t) => t === 'response.output_text.delta')).toHaveLength(16);
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    expect(numbers).toEqual(numbers.map((_, i) => i));
  });

  it('ends a stream without data: [DONE]', async () => {
    const res = await postJson(sim.origin, '/v1/responses', { model: 'sim-model', input: 'raw', stream: true });
    const raw = await res.text();
    const data = eventData(raw);
    expect(raw.startsWith('event: response.created\ndata: {')).toBe(true);
    expect(data.includes('[DONE]')).toBe(false);
    expect(JSON.parse(data.at(-1) ?? '{}')).toMatchObject({ type: 'response.completed' });
  });

  it('remembers the ids it issued: a follow-up on one is answered, on an unknown one refused', async () => {
    const first = await client.responses.create({ model: 'sim-model', input: 'Remember me' });
    const follow = await client.responses.create({ model: 'sim-model', previous_response_id: first.id, input: 'And then?' });
    expect(follow.previous_response_id).toBe(first.id);
    expect(follow.usage?.input_tokens).toBeGreaterThan(first.usage?.total_tokens ?? 0);
    expect((await client.responses.retrieve(first.id)).output_text).toBe(first.output_text);
    await expect(client.responses.create({ model: 'sim-model', previous_response_id: 'resp_unknown', input: 'x' })).rejects.toMatchObject({
      status: 400,
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
  });

  it('forgets nothing it was not given: store false is not retrievable', async () => {
    const unstored = await client.responses.create({ model: 'sim-model', input: 'Do not keep', store: false });
    await expect(client.responses.retrieve(unstored.id)).rejects.toMatchObject({ status: 404 });
  });

  it('cuts at max_output_tokens: status incomplete', async () => {
    const response = await client.responses.create({ model: 'sim-model', input: 'Long answer please', max_output_tokens: 5 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage?.output_tokens).toBe(5);
  });

  it('applies its fault knobs: an injected error, and a stream cut before its end', async () => {
    await expect(client.responses.create({ model: 'sim-model', input: 'x' }, { headers: { 'x-sim-fault': 'error=503' } })).rejects.toMatchObject({
      status: 503,
    });
    const res = await postJson(sim.origin, '/v1/responses', { model: 'sim-model', input: 'cut me', stream: true }, { 'x-sim-fault': 'cut=4' });
    const reader = res.body!.getReader();
    let raw = '';
    let error: unknown;
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) raw += Buffer.from(read.value).toString('utf8');
    } catch (caught) {
      error = caught;
    }
    expect(eventData(raw)).toHaveLength(4);
    expect(error).toBeDefined();
    expect(sim.stats.faults.cuts).toBe(1);
  });

  it('calls a function tool the prompt names, with arguments from its schema', async () => {
    const response = await client.responses.create({ model: 'sim-model', input: 'Use get_weather for Paris', tools: [WEATHER_TOOL] });
    expect(response.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    const call = response.output[0] as { arguments: string; call_id: string };
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Use get_weather for Paris', days: 1 });
    expect(call.call_id).toMatch(/^call_sim/);
    const plain = await client.responses.create({ model: 'sim-model', input: 'Tell me a joke', tools: [WEATHER_TOOL] });
    expect(plain.output[0]?.type).toBe('message');
  });
});

describe('the simulator calls chat tools', () => {
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: WEATHER_TOOL.parameters } }];

  it('answers with a tool call when the prompt names the tool, finish_reason tool_calls', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Call get_weather for Oslo' }], tools });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Call get_weather for Oslo","days":1}' },
    });
  });

  it('streams the call: the SDK helper reassembles the same arguments', async () => {
    const stream = client.chat.completions.stream({ model: 'sim-model', messages: [{ role: 'user', content: 'Call get_weather for Oslo' }], tools });
    const final = await stream.finalChatCompletion();
    expect(fn(final.choices[0]?.message.tool_calls?.[0])).toEqual({ name: 'get_weather', arguments: '{"city":"Call get_weather for Oslo","days":1}' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('does not call with tool_choice none, and does with required whatever the prompt', async () => {
    const none = await client.chat.completions.create({
      model: 'sim-model',
      messages: [{ role: 'user', content: 'get_weather?' }],
      tools,
      tool_choice: 'none',
    });
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    const required = await client.chat.completions.create({
      model: 'sim-model',
      messages: [{ role: 'user', content: 'hello' }],
      tools,
      tool_choice: 'required',
    });
    expect(fn(required.choices[0]?.message.tool_calls?.[0])?.name).toBe('get_weather');
  });
});
