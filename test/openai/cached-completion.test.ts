import { describe, expect, it } from 'vitest';
import { completionFromBody, createStreamAssembler, isStorableChoices as isStorable } from '../../src/openai/cached-completion.js';

const body = (usage: unknown) => ({
  id: 'x',
  object: 'chat.completion',
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage,
});

describe('completionFromBody', () => {
  it('keeps the usage of a well-formed answer', () => {
    expect(completionFromBody('chat', body({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }))?.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 2,
      total_tokens: 5,
    });
  });

  it('treats token counts that cannot be counts as absent (a negative one broke every hit)', () => {
    expect(completionFromBody('chat', body({ prompt_tokens: -5, completion_tokens: 2 }))?.usage).toBeUndefined();
    expect(completionFromBody('chat', body({ prompt_tokens: 1.5, completion_tokens: 2 }))?.usage).toBeUndefined();
  });

  it('is storable only when every choice finished, and not by the content filter', () => {
    const filtered = { ...body(undefined), choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter' }] };
    expect(
      isStorable(completionFromBody('chat', body(undefined)) ?? { endpoint: 'chat', model: '', systemFingerprint: null, choices: [], usage: undefined }),
    ).toBe(true);
    expect(isStorable(completionFromBody('chat', filtered) ?? { endpoint: 'chat', model: '', systemFingerprint: null, choices: [], usage: undefined })).toBe(
      false,
    );
  });
});

describe('createStreamAssembler', () => {
  it('joins content deltas and tool-call argument pieces by index', () => {
    const assembler = createStreamAssembler('chat');
    assembler.add({ model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
    assembler.add({
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } }] } }],
    });
    assembler.add({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }, finish_reason: 'tool_calls' }] });
    assembler.add({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 9 } });
    const done = assembler.finish();
    expect(done.choices[0]?.message?.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    expect(done.choices[0]?.finishReason).toBe('tool_calls');
    expect(done.usage).toEqual({ prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 });
  });
});
