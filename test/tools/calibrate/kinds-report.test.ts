import { describe, expect, it } from 'vitest';
import type { PairScore } from '../../../src/tools/calibrate/calibration-report.js';
import { buildKindsReport, formatKindsReport } from '../../../src/tools/calibrate/kinds-report.js';

const score = (kind: string, label: 0 | 1, similarity: number, guardPass: boolean, supported = similarity): PairScore => ({
  kind,
  label,
  similarity,
  guardPass,
  supported,
});

describe('kinds report', () => {
  const scores: PairScore[] = [
    score('swap', 0, 0.99, false),
    score('swap', 0, 0.97, true),
    score('swap', 0, 0.92, false),
    score('swap', 0, 0.5, true),
    score('voice', 1, 0.98, true),
    score('voice', 1, 0.93, true, 0.89),
    score('voice', 1, 0.91, true),
    score('voice', 1, 0.7, true),
  ];

  it('counts raw and guarded hits per kind at 0.95 and 0.90', () => {
    const report = buildKindsReport(scores)!;
    expect(report.rows).toEqual([
      {
        kind: 'swap',
        label: 0,
        pairs: 4,
        at: [
          { threshold: 0.95, rawHits: 2, guardedHits: 1 },
          { threshold: 0.9, rawHits: 3, guardedHits: 1 },
        ],
      },
      {
        kind: 'voice',
        label: 1,
        pairs: 4,
        at: [
          { threshold: 0.95, rawHits: 1, guardedHits: 1 },
          { threshold: 0.9, rawHits: 3, guardedHits: 2 },
        ],
      },
    ]);
  });

  it('gives the false-hit rate of different-meaning pairs and the share of same-meaning hits kept', () => {
    const [at95, at90] = buildKindsReport(scores)!.totals;
    expect(at95).toEqual({ threshold: 0.95, falseHitRateRaw: 0.5, falseHitRateGuarded: 0.25, sameMeaningKept: 1 });
    expect(at90).toEqual({ threshold: 0.9, falseHitRateRaw: 0.75, falseHitRateGuarded: 0.25, sameMeaningKept: 2 / 3 });
    expect(formatKindsReport(buildKindsReport(scores)!)).toContain(
      '@0.9: false-hit rate of different-meaning pairs raw 0.750, with guards 0.250; same-meaning pairs keep 0.667',
    );
  });

  it('marks a kind whose pairs mix labels, and is absent without kinds', () => {
    expect(buildKindsReport([score('x', 0, 0.9, true), score('x', 1, 0.9, true)])!.rows[0]!.label).toBeNull();
    expect(buildKindsReport([{ label: 1, similarity: 0.99, guardPass: true }])).toBeNull();
  });
});
