import { describe, expect, it } from 'vitest';
import { normalizeForEmbedding } from '../../../src/cache/normalize.js';
import type { LabelledSet } from '../../../src/tools/calibrate/labelled-set.js';
import { formatTuning, tune } from '../../../src/tools/calibrate/tuning.js';
import { at } from '../../helpers/hand-embedder.js';

// Pairs at cosines set by hand (angles): the support guard alone, so only the charge decides.
function set(file: string, pairs: Array<[0 | 1, string, string, number]>): LabelledSet {
  const vectors = new Map<string, Float32Array>();
  for (const [, a, b, cos] of pairs) {
    vectors.set(normalizeForEmbedding(a), at(0));
    vectors.set(normalizeForEmbedding(b), at(Math.acos(cos)));
  }
  return { file, derived: false, rows: pairs.map(([label, textA, textB]) => ({ label, textA, textB })), vectors };
}

// Different meaning, one rare word apart; same meaning, sharing every content word.
const tuneSet = set('a.tsv', [
  [0, 'Dose of lisinopril', 'Dose of amoxicillin', 0.93],
  [1, 'How can I reset my password?', 'How do I reset my password?', 0.92],
  [1, 'How do I renew my passport?', 'How can I renew my passport?', 0.91],
]);
const measureSet = set('b.tsv', [
  [0, 'Risks of warfarin', 'Risks of heparin', 0.95 - 1e-6],
  [1, 'Is aspirin safe?', 'Is aspirin safe to take?', 0.94],
]);
const input = {
  guards: ['support'],
  support: { confidentSimilarity: 0.95, penaltyPerWord: 0.04 },
  targetPrecision: 0.9,
  measureThreshold: 0.9,
  minHits: 1,
  tuneSet,
  measureSet,
};

describe('tune', () => {
  it('chooses the value with the most recall at the target precision on the tuning file alone', () => {
    const result = tune({ ...input, spec: { name: 'support-penalty', values: [0, 0.05] } });
    // Without a charge the wrong pair (0.93) ranks first, and no threshold reaches precision 0.9
    // (0/1, 1/2, 2/3); charged 0.05 for its two rare words it falls to 0.88, below both right pairs.
    expect(result.rows.map((r) => [r.value, r.tunedOn.recall])).toEqual([
      [0, null],
      [0.05, 1],
    ]);
    expect(result.chosen).toBe(0.05);
  });

  it('measures the other file at the fixed threshold with each value', () => {
    const result = tune({ ...input, spec: { name: 'support-penalty', values: [0, 0.05] } });
    expect(result.rows[0]!.measuredOn).toMatchObject({ precisionAt: 0.5, recallAt: 1, hitsAt: 2 });
    expect(result.rows[1]!.measuredOn).toMatchObject({ precisionAt: 1, recallAt: 1, hitsAt: 1 });
    expect(formatTuning(result)).toContain('tuned on a.tsv (support-penalty = 0.05) / measured on b.tsv: precision 1.000, recall 1.000 at 0.9');
  });

  it('says so when no value reaches the target', () => {
    const result = tune({ ...input, measureSet: undefined, spec: { name: 'support-penalty', values: [0] } });
    expect(result.chosen).toBeNull();
    expect(formatTuning(result)).toContain('no value of support-penalty reaches precision 0.9 on a.tsv');
  });
});
