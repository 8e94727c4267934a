import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simAnswerText } from '../../../src/tools/sim/answer-text.js';
import { embeddingVector } from '../../../src/tools/sim/embedding-vector.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';

let sim: SimUpstream;
let client: OpenAI;
beforeAll(async () => {
  sim = await startSimUpstream({ answerTokens: 16 });
  client = new OpenAI({ baseURL: sim.url, apiKey: 'sk-sim', maxRetries: 0 });
});
afterAll(() => sim.close());

describe('the official openai SDK against the simulator', () => {
  it('reads a chat completion', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'sdk?' }] });
    expect(completion.choices[0]?.message.content).toBe(simAnswerText({ model: 'sim-model', prompt: 'sdk?', salt: '' }, { answerTokens: 16 }));
  });

  it('reads a stream with usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'sim-model',
      messages: [{ role: 'user', content: 'sdk?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let completionTokens = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(text).toBe(simAnswerText({ model: 'sim-model', prompt: 'sdk?', salt: '' }, { answerTokens: 16 }));
    expect(completionTokens).toBe(16);
  });

  it('decodes its default base64 embeddings to the simulator vector', async () => {
    const result = await client.embeddings.create({ model: 'sim-embed', input: 'sdk text' });
    expect(result.data[0]?.embedding).toEqual(Array.from(embeddingVector('sdk text', 64)));
    expect(sim.stats.lastBody).toMatchObject({ encoding_format: 'base64' });
  });

  it('sends its API key, which the simulator records', () => {
    expect(sim.stats.lastHeaders?.authorization).toBe('Bearer sk-sim');
  });

  it('raises an APIError with the injected status and message', async () => {
    const failing = client.chat.completions.create(
      { model: 'sim-model', messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'x-sim-fault': 'error=503' } },
    );
    await expect(failing).rejects.toMatchObject({ status: 503, type: 'server_error', code: 'sim_injected_error' });
  });
});
