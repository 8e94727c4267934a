import { describe, it, expect } from 'vitest';
import { cp1ktOf, createCp1ktWindow } from '../../src/finops/cp1kt-window.js';
import { T0 } from './metrics-fixtures.js';

function windowAt(start = T0) {
  const clock = { now: start };
  // 600 s window in 10 buckets of 60 s.
  return { clock, window: createCp1ktWindow({ windowMs: 600_000, buckets: 10, now: () => clock.now }) };
}

describe('createCp1ktWindow', () => {
  it('sums spend and tokens per key within the window and since start', () => {
    const { clock, window } = windowAt();
    window.add('model/a', { spendUsd: 0.5, inputTokens: 100, outputTokens: 400 });
    clock.now += 120_000;
    window.add('model/a', { spendUsd: 1, inputTokens: 500, outputTokens: 0 });
    window.add('model/b', { spendUsd: 3, inputTokens: 1, outputTokens: 2 });

    expect(window.window('model/a')).toEqual({ spendUsd: 1.5, inputTokens: 600, outputTokens: 400 });
    expect(window.sinceStart('model/a')).toEqual({ spendUsd: 1.5, inputTokens: 600, outputTokens: 400 });
    expect(cp1ktOf(window.window('model/a'))).toBe(1.5);
    expect(window.window('model/none')).toEqual({ spendUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(window.keys()).toEqual(['model/a', 'model/b']);
  });

  it('adds spend settled late into its own bucket while that bucket is in the window', () => {
    const { clock, window } = windowAt();
    window.add('k', { spendUsd: 0, inputTokens: 1000, outputTokens: 0 });
    clock.now = T0 + 540_000; // the last minute of the window that holds the first bucket
    window.addAt('k', { spendUsd: 2, inputTokens: 0, outputTokens: 0 }, T0);
    expect(window.window('k')).toEqual({ spendUsd: 2, inputTokens: 1000, outputTokens: 0 });
    clock.now = T0 + 600_000; // the first bucket has left the window, with its late spend
    expect(window.window('k')).toEqual({ spendUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(window.sinceStart('k')).toEqual({ spendUsd: 2, inputTokens: 1000, outputTokens: 0 });
  });

  it('keeps late spend of a bucket already out of the window in the since-start totals only', () => {
    const { clock, window } = windowAt();
    clock.now = T0 + 600_000;
    window.add('k', { spendUsd: 1, inputTokens: 10, outputTokens: 0 });
    window.addAt('k', { spendUsd: 5, inputTokens: 0, outputTokens: 0 }, T0);
    expect(window.window('k')).toEqual({ spendUsd: 1, inputTokens: 10, outputTokens: 0 });
    expect(window.sinceStart('k').spendUsd).toBe(6);
  });

  it('drops a bucket once it is a whole window old, keeping it in the since-start totals', () => {
    const { clock, window } = windowAt();
    window.add('k', { spendUsd: 1, inputTokens: 1000, outputTokens: 0 });
    clock.now = T0 + 60_000;
    window.add('k', { spendUsd: 2, inputTokens: 1000, outputTokens: 0 });

    clock.now = T0 + 599_999;
    expect(window.window('k').spendUsd).toBe(3);
    clock.now = T0 + 600_000;
    expect(window.window('k').spendUsd).toBe(2);
    clock.now = T0 + 660_000;
    expect(window.window('k')).toEqual({ spendUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(window.sinceStart('k')).toEqual({ spendUsd: 3, inputTokens: 2000, outputTokens: 0 });
  });

  it('reuses a ring slot for a new bucket without carrying the old one over', () => {
    const { clock, window } = windowAt();
    window.add('k', { spendUsd: 1, inputTokens: 10, outputTokens: 0 });
    clock.now = T0 + 600_000; // same slot, ten buckets later
    window.add('k', { spendUsd: 5, inputTokens: 20, outputTokens: 0 });

    expect(window.window('k')).toEqual({ spendUsd: 5, inputTokens: 20, outputTokens: 0 });
  });

  it('lists tokens per bucket since start, oldest first, with empty buckets as 0', () => {
    const { clock, window } = windowAt();
    window.add('k', { spendUsd: 0, inputTokens: 10, outputTokens: 5 });
    clock.now = T0 + 120_000;
    window.add('k', { spendUsd: 0, inputTokens: 7, outputTokens: 0 });

    expect(window.bucketTokens('k')).toEqual([15, 0, 7]);
    clock.now = T0 + 700_000;
    expect(window.bucketTokens('k')).toEqual([7, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('has no CP1KT when no token was processed', () => {
    expect(cp1ktOf({ spendUsd: 0, inputTokens: 0, outputTokens: 0 })).toBeUndefined();
  });
});
