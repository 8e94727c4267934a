import { describe, expect, it } from 'vitest';
import { buildCalibrationReport, type PairScore } from '../../../src/tools/calibrate/calibration-report.js';

// Raw cosine ranks the wrong pair (0.92) above a right one (0.91); the support charge (unshared
// words) pushes the wrong pair below both right ones.
const scores: PairScore[] = [
  { label: 1, similarity: 0.93, supported: 0.89, guardPass: true },
  { label: 0, similarity: 0.92, supported: 0.86, guardPass: true },
  { label: 1, similarity: 0.91, supported: 0.91, guardPass: true },
  { label: 0, similarity: 0.97, supported: 0.97, guardPass: false, guard: 'numbers' },
];

const report = buildCalibrationReport({ file: 'f', modelId: 'm', targetPrecision: 1, minHits: 1, guards: ['numbers', 'support'], scores });

describe('buildCalibrationReport with the support charge', () => {
  it('judges guarded hits by the charged similarity', () => {
    // Walking down the charged similarities: 0.91 right, 0.89 right, 0.86 wrong.
    expect(report.guarded?.choice).toEqual({ threshold: 0.89, precision: 1, recall: 1 });
  });

  it('judges raw hits by the cosine alone', () => {
    // 0.97 wrong already: no threshold reaches precision 1 below it, and above it there are no hits.
    expect(report.raw.choice).toBeNull();
  });

  it('counts the pairs the word guards passed and support charged, by label', () => {
    expect(report.supportCharged).toEqual({ label0: 1, label1: 1 });
    expect(report.rejectedBy).toEqual({ numbers: { label0: 1, label1: 0 } });
  });
});
