import { describe, expect, it } from 'vitest';
import { cumulativeDistribution, percentile, summarizeLatency } from '../../../src/tools/bench/latency-stats.js';
import { parseStream } from '../../../src/tools/bench/stream-file.js';
import { streamSequence } from '../../../src/tools/bench/zipf-sequence.js';

describe('stream and load parts', () => {
  it('replays every prompt once, in order, without repeats', () => {
    expect(streamSequence(4, { repeatRate: 0, zipfS: 1.1, seed: 1 })).toEqual([0, 1, 2, 3].map((index) => ({ index, repeat: false })));
  });

  it('inserts repeats of earlier prompts, the first ones most often, the same for the same seed', () => {
    const steps = streamSequence(200, { repeatRate: 0.5, zipfS: 1.2, seed: 7 });
    expect(steps.filter((s) => !s.repeat).map((s) => s.index)).toEqual([...Array(200).keys()]);
    const repeats = steps.filter((s) => s.repeat);
    expect(repeats.length).toBeGreaterThan(100);
    expect(repeats.filter((s) => s.index === 0).length).toBeGreaterThan(repeats.filter((s) => s.index === 50).length);
    expect(streamSequence(200, { repeatRate: 0.5, zipfS: 1.2, seed: 7 })).toEqual(steps);
  });

  it('reads prompts with and without intents and names the bad line', () => {
    expect(parseStream('{"prompt":"a","intent":"x"}\n\n{"prompt":"b"}\n')).toEqual([
      { prompt: 'a', intent: 'x' },
      { prompt: 'b', intent: undefined },
    ]);
    expect(() => parseStream('{"prompt":"a"}\n{"text":"b"}\n')).toThrow('line 2');
  });

  it('takes nearest-rank percentiles', () => {
    const samples = [...Array(100).keys()].map((i) => i + 1);
    expect([percentile(samples, 50), percentile(samples, 90), percentile(samples, 99)]).toEqual([50, 90, 99]);
    expect(summarizeLatency([3, 1, 2])).toEqual({ count: 3, meanMs: 2, p50Ms: 2, p90Ms: 3, p99Ms: 3, maxMs: 3 });
    expect(cumulativeDistribution([1, 2, 3, 4], 2)).toEqual([
      [2, 0.5],
      [4, 1],
    ]);
  });
});
