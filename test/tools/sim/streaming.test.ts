import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simAnswerText } from '../../../src/tools/sim/answer-text.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { CHAT_PATH, chatBody, postJson, readSse } from './sim-test-client.js';

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; logprobs: null; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

let sim: SimUpstream;
beforeAll(async () => {
  sim = await startSimUpstream({ answerTokens: 12 });
});
afterAll(() => sim.close());

async function stream(body: unknown): Promise<{ chunks: Chunk[]; last: string | undefined; contentType: string | null }> {
  const response = await postJson(sim.origin, CHAT_PATH, body);
  expect(response.status).toBe(200);
  const { data, error } = await readSse(response);
  expect(error).toBeUndefined();
  return { chunks: data.slice(0, -1).map((d) => JSON.parse(d) as Chunk), last: data.at(-1), contentType: response.headers.get('content-type') };
}

describe('streamed chat completions', () => {
  it('are text/event-stream, ending with data: [DONE]', async () => {
    const { last, contentType } = await stream(chatBody('stream me', { stream: true }));
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(last).toBe('[DONE]');
  });

  it('carry the same id on every chunk, role first, then the text piece by piece, then the finish', async () => {
    const { chunks } = await stream(chatBody('stream me', { stream: true }));
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'sim-model')).toBe(true);
    expect(chunks[0]?.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    const pieces = chunks.slice(1, -1).map((c) => c.choices[0]?.delta.content);
    expect(pieces).toHaveLength(12);
    expect(pieces.join('')).toBe(simAnswerText({ model: 'sim-model', prompt: 'stream me', salt: '' }, { answerTokens: 12 }));
    expect(chunks.at(-1)?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
  });

  it('have no usage key and no usage chunk without include_usage', async () => {
    const { chunks } = await stream(chatBody('stream me', { stream: true }));
    expect(chunks.every((c) => !('usage' in c) && c.choices.length === 1)).toBe(true);
  });

  it('end with a usage chunk without choices when include_usage, usage null on the others', async () => {
    const { chunks } = await stream(chatBody('stream me', { stream: true, stream_options: { include_usage: true } }));
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toEqual({ prompt_tokens: 3 + 3 + 1 + 3, completion_tokens: 12, total_tokens: 22 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('finish with length after max_tokens pieces', async () => {
    const { chunks } = await stream(chatBody('stream me', { stream: true, max_tokens: 2 }));
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? c.choices[0]?.delta.content)).toEqual(['', expect.stringMatching(/^\[sim:/), ' Answer', 'length']);
  });

  it('stream n choices, each with its role, pieces and finish', async () => {
    const { chunks } = await stream(chatBody('two ways', { stream: true, n: 2 }));
    const texts = ['', ''];
    for (const chunk of chunks) {
      const choice = chunk.choices[0];
      if (choice !== undefined) texts[choice.index] += choice.delta.content ?? '';
    }
    expect(chunks.filter((c) => c.choices[0]?.delta.role === 'assistant').map((c) => c.choices[0]?.index)).toEqual([0, 1]);
    expect(
      chunks
        .filter((c) => c.choices[0]?.finish_reason === 'stop')
        .map((c) => c.choices[0]?.index)
        .sort(),
    ).toEqual([0, 1]);
    expect(texts[0]).not.toBe(texts[1]);
    expect(texts.every((t) => t.includes('Answer to: two ways -- '))).toBe(true);
  });
});
