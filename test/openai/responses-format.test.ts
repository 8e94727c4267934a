import { describe, expect, it } from 'vitest';
import { requestKey } from '../../src/cache/request-key.js';
import { createResponseAssembler, isStorableResponse, responseFromBody, responseTokens } from '../../src/openai/cached-response.js';
import { renderResponseEvents } from '../../src/openai/render-responses.js';
import { responsesBypassReason } from '../../src/openai/responses-request.js';
import { RESPONSES_FORMAT } from '../../src/openai/responses-format.js';
import type { JsonObject, ResponsesBody } from '../../src/openai/types.js';

const scope = { tenant: 'key:abc', embedderId: 'e', query: '' };
const key = (body: JsonObject) => requestKey(RESPONSES_FORMAT.validate({ model: 'm', ...body }), scope);

const message = (text: string, id = 'msg_1'): JsonObject => ({
  id,
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const response = (fields: JsonObject = {}): JsonObject => ({
  id: 'resp_1',
  object: 'response',
  created_at: 1,
  status: 'completed',
  model: 'm',
  error: null,
  output: [message('Hello there, friend.')],
  usage: { input_tokens: 7, output_tokens: 4, total_tokens: 11 },
  ...fields,
});

describe('what a Responses request is matched on', () => {
  it('matches the text of a string input or of the last user message, keyed alike', () => {
    const asString = key({ input: 'What is HNSW?' });
    const asList = key({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is HNSW?' }] }] });
    const asItem = key({ input: [{ type: 'message', role: 'user', content: 'What is HNSW?' }] });
    expect(asString.semanticText).toBe('What is HNSW?');
    expect(asList.exactKey).toBe(asString.exactKey);
    expect(asItem.exactKey).toBe(asString.exactKey);
  });

  it('keeps instructions, earlier items, previous_response_id, store and parameters in the exact context', () => {
    const base = key({ input: 'Hi' });
    for (const extra of [
      { instructions: 'Be brief.' },
      { previous_response_id: 'resp_9' },
      { store: false },
      { temperature: 0 },
      { max_output_tokens: 10 },
      { tools: [{ type: 'function', name: 'f' }] },
      { text: { format: { type: 'json_object' } } },
      { reasoning: { effort: 'low' } },
      { vendor_knob: 1 },
    ]) {
      expect(key({ input: 'Hi', ...extra }).context, JSON.stringify(extra)).not.toBe(base.context);
    }
    expect(
      key({
        input: [
          { role: 'user', content: 'Before' },
          { role: 'assistant', content: 'Ok' },
          { role: 'user', content: 'Hi' },
        ],
      }).context,
    ).not.toBe(base.context);
    // How the answer is delivered does not change it; a stored response is the default.
    expect(key({ input: 'Hi', stream: true, metadata: { a: '1' }, store: true }).exactKey).toBe(base.exactKey);
  });

  it('matches exactly only when the last item is not the user message, or carries media', () => {
    expect(
      key({
        input: [
          { role: 'user', content: 'Call it' },
          { type: 'function_call_output', call_id: 'c', output: '42' },
        ],
      }).semanticText,
    ).toBeUndefined();
    const media = key({
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:,' },
          ],
        },
      ],
    });
    expect(media.semanticText).toBeUndefined();
    expect(media.exactKey).not.toBe(key({ input: 'What is this?' }).exactKey);
  });

  it('bypasses background jobs, conversations and logprobs', () => {
    const reason = (body: JsonObject) => responsesBypassReason({ model: 'm', input: 'x', ...body } as ResponsesBody);
    expect(reason({ background: true })).toBe('background');
    expect(reason({ conversation: { id: 'conv_1' } })).toBe('conversation');
    expect(reason({ top_logprobs: 2 })).toBe('logprobs');
    expect(reason({ include: ['message.output_text.logprobs'] })).toBe('logprobs');
    expect(reason({ include: ['reasoning.encrypted_content'] })).toBeUndefined();
  });

  it('asks a shadow check whole and unstored, so that it leaves nothing at the upstream', () => {
    expect(RESPONSES_FORMAT.wholeRequest({ model: 'm', input: 'x', stream: true, stream_options: { include_obfuscation: false } })).toEqual({
      model: 'm',
      input: 'x',
      stream: false,
      store: false,
    });
  });

  it('refuses a bad input in OpenAI shape, naming the parameter', () => {
    expect(() => RESPONSES_FORMAT.validate({ model: 'm', input: 7 })).toThrow("Invalid type for 'input'");
    expect(() => RESPONSES_FORMAT.validate({ model: 'm', input: [{ role: 'robot', content: 'x' }] })).toThrow("Invalid value for 'input[0].role'");
    expect(() => RESPONSES_FORMAT.validate({ model: 'm' })).toThrow("Missing required parameter: 'input'.");
    expect(() => RESPONSES_FORMAT.validate({ model: 'm', input: 'x', store: 'yes' })).toThrow("Invalid type for 'store': expected a boolean.");
  });
});

describe('a Responses answer as the cache keeps it', () => {
  it('counts usage input and output tokens, and stores only completed answers', () => {
    const cached = responseFromBody(response())!;
    expect(responseTokens(cached)).toEqual({ input: 7, output: 4 });
    expect(isStorableResponse(cached)).toBe(true);
    expect(isStorableResponse(responseFromBody(response({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }))!)).toBe(false);
    expect(isStorableResponse(responseFromBody(response({ output: [] }))!)).toBe(false);
    expect(responseFromBody({ object: 'chat.completion', id: 'x', model: 'm', output: [] })).toBeUndefined();
  });

  it('assembles a stream from its last event, or from its items when that event has no output', () => {
    const assembler = createResponseAssembler();
    assembler.add({ type: 'response.created', response: response({ status: 'in_progress', output: [] }) });
    assembler.add({ type: 'response.output_item.done', output_index: 0, item: message('Hello there, friend.') });
    expect(assembler.isComplete(false)).toBe(false);
    expect(assembler.mustParse('{"type":"response.completed","response":{}}')).toBe(true);
    expect(assembler.mustParse('{"type":"response.output_text.delta","delta":"\\"type\\":\\"response.completed\\""}')).toBe(false);
    assembler.add({ type: 'response.completed', response: response({ output: [] }) });
    expect(assembler.isComplete(false)).toBe(true);
    const done = assembler.finish();
    expect(done.response.output).toEqual([message('Hello there, friend.')]);
    expect(isStorableResponse(done)).toBe(true);
  });

  it('does not store a stream that failed or ended in an error event', () => {
    const failed = createResponseAssembler();
    failed.add({ type: 'response.failed', response: response({ status: 'failed', error: { code: 'server_error', message: 'x' } }) });
    expect(failed.isComplete(false)).toBe(true);
    expect(isStorableResponse(failed.finish())).toBe(false);
    const errored = createResponseAssembler();
    errored.add({ type: 'response.output_item.done', output_index: 0, item: message('partial') });
    errored.add({ type: 'error', code: 'server_error', message: 'x' });
    expect(isStorableResponse(errored.finish())).toBe(false);
  });
});

describe('a cached Responses answer replayed as events', () => {
  const events = (raw: string) =>
    raw
      .split('\n\n')
      .filter((e) => e !== '')
      .map((e) => {
        const [name, data] = e.split('\n');
        const parsed = JSON.parse(data!.slice('data: '.length)) as JsonObject;
        expect(name).toBe(`event: ${String(parsed.type)}`);
        return parsed;
      });

  it('sends a function call as its arguments in deltas, then the whole item', () => {
    const call = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris", "days": 2}' };
    const out = events(renderResponseEvents(responseFromBody(response({ output: [call] }))!));
    expect(out.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(out[2]).toMatchObject({ item: { ...call, status: 'in_progress', arguments: '' } });
    expect(out[4]).toMatchObject({ name: 'get_weather', arguments: call.arguments, item_id: 'fc_1' });
    expect(out.map((e) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('sends a refusal as refusal deltas, and a message text whose deltas join back to it', () => {
    const refusal = {
      id: 'msg_2',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'refusal', refusal: 'I cannot help with that request.' }],
    };
    const out = events(renderResponseEvents(responseFromBody(response({ output: [message('One two three four five six seven.'), refusal] }))!));
    const deltas = out
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(deltas).toBe('One two three four five six seven.');
    expect(
      out
        .filter((e) => e.type === 'response.refusal.delta')
        .map((e) => e.delta)
        .join(''),
    ).toBe('I cannot help with that request.');
    expect(out[0]).toMatchObject({ response: { status: 'in_progress', output: [], usage: null } });
    expect(out.at(-1)).toMatchObject({ type: 'response.completed', response: { id: 'resp_1', status: 'completed' } });
  });
});
