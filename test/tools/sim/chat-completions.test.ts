import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerSeed, simAnswerText } from '../../../src/tools/sim/answer-text.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { CHAT_PATH, chatBody, postJson } from './sim-test-client.js';

interface ChatCompletion {
  id: string;
  object: string;
  created: number;
  model: string;
  system_fingerprint: string;
  choices: Array<{ index: number; message: { role: string; content: string; refusal: null }; logprobs: null; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

let sim: SimUpstream;
beforeAll(async () => {
  sim = await startSimUpstream({ answerTokens: 24 });
});
afterAll(() => sim.close());

async function chat(body: unknown, headers: Record<string, string> = {}): Promise<ChatCompletion> {
  const response = await postJson(sim.origin, CHAT_PATH, body, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as ChatCompletion;
}

describe('POST /v1/chat/completions', () => {
  it('answers in the chat.completion shape with the predicted text', async () => {
    const completion = await chat(chatBody('What is a semantic cache?'));
    const text = simAnswerText({ model: 'sim-model', prompt: 'What is a semantic cache?', salt: '' }, { answerTokens: 24 });
    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'sim-model',
      system_fingerprint: 'fp_sim',
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3 + 3 + 1 + 7, completion_tokens: 24, total_tokens: 38 },
    });
  });

  it('answers the same request with the same text', async () => {
    const [first, second] = await Promise.all([chat(chatBody('same question')), chat(chatBody('same question'))]);
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(second.id).not.toBe(first.id);
  });

  it('answers a different prompt or model with a different text', async () => {
    const base = await chat(chatBody('question one'));
    const otherPrompt = await chat(chatBody('question two'));
    const otherModel = await chat({ ...chatBody('question one'), model: 'other-model' });
    const texts = [base, otherPrompt, otherModel].map((c) => c.choices[0]?.message.content);
    expect(new Set(texts).size).toBe(3);
    expect(texts[2]).toContain('Answer to: question one -- ');
  });

  it('answers the last user message, ignoring the earlier turns', async () => {
    const completion = await chat({
      model: 'sim-model',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: 'second question' },
      ],
    });
    expect(
      completion.choices[0]?.message.content.startsWith(
        `[sim:${createAnswerSeed({ model: 'sim-model', prompt: 'second question', salt: '' }).tag}] Answer to: second question -- `,
      ),
    ).toBe(true);
  });

  it('reads the text parts of multi-part content', async () => {
    const completion = await chat({
      model: 'sim-model',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'part one' },
            { type: 'image_url', image_url: { url: 'x' } },
            { type: 'text', text: 'part two' },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toContain('Answer to: part one\npart two -- ');
  });

  it('cuts the answer at max_tokens with finish_reason length', async () => {
    const completion = await chat(chatBody('cut me short', { max_tokens: 3 }));
    const tag = createAnswerSeed({ model: 'sim-model', prompt: 'cut me short', salt: '' }).tag;
    expect(completion.choices[0]).toMatchObject({ message: { content: `[sim:${tag}] Answer to:` }, finish_reason: 'length' });
    expect(completion.usage.completion_tokens).toBe(3);
  });

  it('prefers max_completion_tokens over max_tokens', async () => {
    const completion = await chat(chatBody('limits', { max_tokens: 10, max_completion_tokens: 2 }));
    expect([completion.usage.completion_tokens, completion.choices[0]?.finish_reason]).toEqual([2, 'length']);
  });

  it('gives n different choices for n > 1, counted together in usage', async () => {
    const completion = await chat(chatBody('many answers', { n: 3 }));
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(completion.choices.map((c) => c.message.content)).size).toBe(3);
    expect(completion.usage.completion_tokens).toBe(72);
  });

  it('changes every answer when the salt changes', async () => {
    const salted = await startSimUpstream({ answerTokens: 24, answerSalt: 'v2' });
    try {
      const plain = await chat(chatBody('salted?'));
      const response = await postJson(salted.origin, CHAT_PATH, chatBody('salted?'));
      const other = (await response.json()) as ChatCompletion;
      expect(other.choices[0]?.message.content).not.toBe(plain.choices[0]?.message.content);
      expect(other.choices[0]?.message.content).toBe(simAnswerText({ model: 'sim-model', prompt: 'salted?', salt: 'v2' }, { answerTokens: 24 }));
    } finally {
      await salted.close();
    }
  });

  it('refuses invalid JSON with 400 in OpenAI error shape', async () => {
    const response = await postJson(sim.origin, CHAT_PATH, '{"model": ');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/could not parse the JSON body/);
  });

  it('refuses a request without model with 400', async () => {
    const response = await postJson(sim.origin, CHAT_PATH, { messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null },
    });
  });

  it('refuses a request without messages with 400 naming the parameter', async () => {
    const response = await postJson(sim.origin, CHAT_PATH, { model: 'sim-model' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('messages');
  });

  it('refuses max_tokens of 0 with 400', async () => {
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('zero', { max_tokens: 0 }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('max_tokens');
  });

  it('parses the body as JSON whatever the content type says', async () => {
    const response = await fetch(`${sim.origin}${CHAT_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(chatBody('plain')),
    });
    expect(response.status).toBe(200);
  });
});
