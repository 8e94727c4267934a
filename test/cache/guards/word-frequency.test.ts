import { describe, expect, it } from 'vitest';
import { COMMON_RANK, RARE_RANK, informativeness, wordRanks } from '../../../src/cache/guards/word-frequency.js';

describe('word frequency', () => {
  it('ranks general English from the shipped SUBTLEX-US list, most common first', () => {
    const ranks = wordRanks();
    expect(ranks.get('you')).toBe(1);
    expect(ranks.get('the')).toBe(3);
    expect(ranks.size).toBeGreaterThan(19_000);
    expect(ranks.size).toBeLessThanOrEqual(RARE_RANK);
    expect(ranks.has('lisinopril')).toBe(false);
  });

  it('weighs the most common words the floor, rare and unknown words 1, the rest by log rank', () => {
    const ranks = new Map([
      ['work', 156],
      ['edge', COMMON_RANK],
      ['middle', Math.round(Math.sqrt(COMMON_RANK * RARE_RANK))],
      ['rare', RARE_RANK],
    ]);
    expect(informativeness('work', 0.5, ranks)).toBe(0.5);
    expect(informativeness('edge', 0.5, ranks)).toBe(0.5);
    expect(informativeness('middle', 0.5, ranks)).toBeCloseTo(0.75, 3);
    expect(informativeness('rare', 0.5, ranks)).toBe(1);
    expect(informativeness('lisinopril', 0.5, ranks)).toBe(1);
  });

  it('weighs real words by their rank', () => {
    expect(informativeness('work', 0.5)).toBe(0.5);
    expect(informativeness('hypertension', 0.5)).toBe(1);
    const transfer = informativeness('transfer', 0.5);
    expect(transfer).toBeGreaterThan(0.5);
    expect(transfer).toBeLessThan(1);
  });
});
