import { describe, expect, it } from 'vitest';
import { answerReadyAtMs, delayUntilMs, tokenReadyAtMs } from '../../../src/tools/sim/latency-model.js';
import { createChunkEncoder } from '../../../src/tools/sim/openai-format.js';
import { planStream } from '../../../src/tools/sim/stream-plan.js';

describe('latency model', () => {
  it('makes the first token ready at ttft and each next one 1/tps later', () => {
    const model = { ttftMs: 200, tokensPerSecond: 50 };
    expect([0, 1, 2, 10].map((k) => tokenReadyAtMs(k, model))).toEqual([200, 220, 240, 400]);
  });

  it('makes every token ready at ttft when tps is 0', () => {
    const model = { ttftMs: 150, tokensPerSecond: 0 };
    expect([0, 5, 100].map((k) => tokenReadyAtMs(k, model))).toEqual([150, 150, 150]);
  });

  it('sends a non-streamed answer when its last token is ready', () => {
    expect(answerReadyAtMs(48, { ttftMs: 200, tokensPerSecond: 50 })).toBe(200 + 47 * 20);
    expect(answerReadyAtMs(0, { ttftMs: 200, tokensPerSecond: 50 })).toBe(200);
  });

  it('never waits a negative time for an overdue event', () => {
    expect([delayUntilMs({ atMs: 100, data: '' }, 30), delayUntilMs({ atMs: 100, data: '' }, 130)]).toEqual([70, 0]);
  });
});

describe('stream schedule', () => {
  const meta = { kind: 'chat' as const, id: 'chatcmpl-x', created: 1, model: 'm' };
  const choices = [
    { index: 0, text: 'a b c', pieces: ['a', ' b', ' c'], finishReason: 'stop' as const },
    { index: 1, text: 'd e', pieces: ['d', ' e'], finishReason: 'length' as const },
  ];

  it('times role, pieces, finish and usage chunks on the token schedule, choices in step', () => {
    const events = planStream({
      kind: 'chat',
      choices,
      encoder: createChunkEncoder(meta, true),
      latency: { ttftMs: 100, tokensPerSecond: 10 },
      usage: { prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 },
    });
    const summary = events.map((event) => {
      const chunk = JSON.parse(event.data) as { choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null }> };
      const choice = chunk.choices[0];
      const what = choice === undefined ? 'usage' : (choice.finish_reason ?? (choice.delta.role === undefined ? choice.delta.content : 'role'));
      return `${event.atMs}:${choice?.index ?? '-'}:${String(what)}`;
    });
    expect(summary).toEqual([
      '100:0:role',
      '100:1:role',
      '100:0:a',
      '100:1:d',
      '200:0: b',
      '200:1: e',
      '200:1:length',
      '300:0: c',
      '300:0:stop',
      '300:-:usage',
    ]);
  });

  it('has no role chunk for legacy completions and no usage chunk unless asked', () => {
    const events = planStream({
      kind: 'text',
      choices: [choices[0]!],
      encoder: createChunkEncoder({ ...meta, kind: 'text' }, false),
      latency: { ttftMs: 0, tokensPerSecond: 0 },
      usage: null,
    });
    expect(events.map((e) => (JSON.parse(e.data) as { choices: Array<{ text: string }> }).choices[0]?.text)).toEqual(['a', ' b', ' c', '']);
    expect(events.every((e) => e.atMs === 0)).toBe(true);
  });
});
