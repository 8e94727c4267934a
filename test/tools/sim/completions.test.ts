import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simAnswerText } from '../../../src/tools/sim/answer-text.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { postJson, readSse } from './sim-test-client.js';

let sim: SimUpstream;
beforeAll(async () => {
  sim = await startSimUpstream({ answerTokens: 10 });
});
afterAll(() => sim.close());

const text = (prompt: string): string => simAnswerText({ model: 'sim-model', prompt, salt: '' }, { answerTokens: 10 });

describe('POST /v1/completions', () => {
  it('answers in the text_completion shape', async () => {
    const response = await postJson(sim.origin, '/v1/completions', { model: 'sim-model', prompt: 'Say hi' });
    expect(await response.json()).toEqual({
      id: expect.stringMatching(/^cmpl-/),
      object: 'text_completion',
      created: expect.any(Number),
      model: 'sim-model',
      system_fingerprint: 'fp_sim',
      choices: [{ text: text('Say hi'), index: 0, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 10, total_tokens: 12 },
    });
  });

  it('answers each prompt of an array, n choices each, indexed prompt-major', async () => {
    const response = await postJson(sim.origin, '/v1/completions', { model: 'sim-model', prompt: ['one', 'two'], n: 2 });
    const body = (await response.json()) as { choices: Array<{ text: string; index: number }> };
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(body.choices[0]?.text).toBe(text('one'));
    expect(body.choices[2]?.text).toBe(text('two'));
    expect(body.choices[1]?.text).toContain('Answer to: one -- ');
    expect(body.choices[1]?.text).not.toBe(body.choices[0]?.text);
  });

  it('streams text chunks, a finish chunk, the usage chunk and [DONE]', async () => {
    const response = await postJson(sim.origin, '/v1/completions', {
      model: 'sim-model',
      prompt: 'Say hi',
      stream: true,
      max_tokens: 3,
      stream_options: { include_usage: true },
    });
    const { data } = await readSse(response);
    const chunks = data
      .slice(0, -1)
      .map((d) => JSON.parse(d) as { object: string; choices: Array<{ text: string; finish_reason: string | null }>; usage: unknown });
    expect(data.at(-1)).toBe('[DONE]');
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    expect(chunks.slice(0, 4).map((c) => c.choices[0]?.finish_reason ?? c.choices[0]?.text)).toEqual([
      expect.stringMatching(/^\[sim:/),
      ' Answer',
      ' to:',
      'length',
    ]);
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
  });

  it('refuses a request without prompt with 400', async () => {
    const response = await postJson(sim.origin, '/v1/completions', { model: 'sim-model' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('prompt');
  });
});
