import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseBenchArgs } from '../../../src/tools/bench/bench-args.js';

describe('bench soak arguments', () => {
  it('runs 30 s at concurrency 16 by default, with no file needed', () => {
    expect(parseBenchArgs(['soak'])).toMatchObject({ mode: 'soak', durationMs: 30_000, concurrency: 16, file: undefined });
    expect(parseBenchArgs(['soak', '--duration', '300', '--concurrency=8'])).toMatchObject({ durationMs: 300_000, concurrency: 8 });
  });

  it('refuses another upstream: only the simulator names the prompt of each answer', () => {
    expect(() => parseBenchArgs(['soak', '--upstream', 'http://127.0.0.1:8000/v1'])).toThrow(BenchArgsError);
  });
});
