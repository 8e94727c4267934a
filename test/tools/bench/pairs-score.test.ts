import { describe, expect, it } from 'vitest';
import { sameMeaningOf, parsePairs } from '../../../src/tools/bench/pairs-file.js';
import { hitsAt, recommendThreshold, scoreKinds, scorePairs, sweepThresholds, type PairOutcome } from '../../../src/tools/bench/pairs-score.js';

const semantic = (label: 0 | 1, similarity: number, correct: boolean): PairOutcome => ({ label, status: 'semantic-hit', similarity, correct, failed: false });

describe('pairs scoring', () => {
  it('relates texts through chains of label-1 rows, not row numbers', () => {
    const rows = parsePairs('label\ttext_a\ttext_b\n1\tA?\tB?\n0\tB?\tC?\n1\tC?\tD?\n1\tD?\tE?\n');
    const same = sameMeaningOf(rows);
    expect([same.same('A?', 'B?'), same.same('C?', 'E?'), same.same('B?', 'C?'), same.same('A?', 'A?')]).toEqual([true, true, false, true]);
  });

  it('keeps a literal double quote, as the file has no quoting', () => {
    expect(parsePairs('label\ttext_a\ttext_b\n0\tIs ""x"" ok?\ty\n')[0]?.textA).toBe('Is ""x"" ok?');
  });

  it("reads an optional fourth column as the row's kind, and refuses a fifth or an empty one", () => {
    const rows = parsePairs('label\ttext_a\ttext_b\tkind\n0\tA\tB\tswap\n1\tA\tC\n');
    expect(rows).toEqual([
      { label: 0, textA: 'A', textB: 'B', kind: 'swap' },
      { label: 1, textA: 'A', textB: 'C' },
    ]);
    expect(() => parsePairs('h\n0\tA\tB\tswap\textra\n1\tA\tB\t\n')).toThrow(
      'pairs file: line 2: expected label(0|1)<TAB>text_a<TAB>text_b[<TAB>kind]; line 3: expected',
    );
  });

  it('counts hits by kind at a threshold, in the order kinds first occur', () => {
    const outcomes: PairOutcome[] = [
      { ...semantic(0, 0.97, false), kind: 'swap' },
      { ...semantic(1, 0.96, true), kind: 'voice' },
      { ...semantic(0, 0.9, false), kind: 'swap' },
      { label: 1, status: 'miss', similarity: undefined, correct: false, failed: false, kind: 'voice' },
      semantic(1, 0.99, true),
    ];
    expect(scoreKinds(outcomes, 0.95)).toEqual([
      { kind: 'swap', label: 0, queries: 2, hits: 1, correctHits: 0, wrongHits: 1 },
      { kind: 'voice', label: 1, queries: 2, hits: 1, correctHits: 1, wrongHits: 0 },
    ]);
    expect(scoreKinds([semantic(1, 0.99, true)], 0.95)).toEqual([]);
  });

  it('hits at a threshold iff the reported similarity reaches it; exact hits always', () => {
    expect([hitsAt(semantic(1, 0.9, true), 0.9), hitsAt(semantic(1, 0.8999, true), 0.9)]).toEqual([true, false]);
    expect(hitsAt({ label: 0, status: 'exact-hit', similarity: 1, correct: true, failed: false }, 1)).toBe(true);
  });

  it('computes precision, recall and the false-hit rate on label-0 queries', () => {
    const outcomes = [
      semantic(1, 0.97, true),
      semantic(0, 0.96, false),
      semantic(1, 0.91, false),
      { label: 1, status: 'miss', similarity: undefined, correct: false, failed: false } as const,
    ];
    expect(scorePairs(outcomes, 0.95)).toMatchObject({
      hits: 2,
      correctHits: 1,
      wrongHits: 1,
      wrongHitsOnLabel0: 1,
      precision: 0.5,
      recall: 1 / 3,
      falseHitRate: 1,
      hitRate: 0.5,
    });
  });

  it('recommends the threshold with the most recall at the target precision', () => {
    const outcomes = [semantic(1, 0.99, true), semantic(1, 0.93, true), semantic(0, 0.91, false), semantic(1, 0.85, true)];
    const sweep = sweepThresholds(0.8, 0.05).map((t) => scorePairs(outcomes, t));
    expect(sweep.map((p) => p.threshold)).toEqual([0.8, 0.85, 0.9, 0.95, 1]);
    expect(recommendThreshold(sweep, 0.9)?.threshold).toBe(0.95);
    expect(recommendThreshold(sweep, 0.75)?.threshold).toBe(0.8);
    expect(recommendThreshold(sweep, 0.8)?.threshold).toBe(0.95);
    expect(recommendThreshold(sweep, 1.01)).toBeUndefined();
  });
});
