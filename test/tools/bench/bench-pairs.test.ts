// pairs on bench/fixtures/pairs-small.tsv through the real proxy and USE-lite, guards off, at 0.90.
// Hand count (similarities measured with USE-lite; every one is at least 0.004 from 0.90/0.95):
//   row 1 sourdough / "at home" 0.976 label 1: correct     row 2 enable / disable 2FA 0.909 label 0: wrong
//   row 3 miles / kilometers 0.939 label 0: wrong          row 4 "capital city" hits row 9's "Which city is
//     the capital", 0.938, correct only through the label-1 chain (row 4 a = row 9 b)
//   row 5 Moby Dick 0.871 label 1: a miss at 0.90, correct at 0.85   row 6 reset / restart 0.948 label 0: wrong
//   row 7 identical texts: exact hit   row 8 unrelated: miss   row 9 b is row 4's a word for word: exact hit
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../src/tools/bench/bench-command.js';
import type { BenchResult } from '../../../src/tools/bench/bench-result.js';
import { captureIo, type CapturedIo } from './bench-io.js';

const FIXTURE = join(import.meta.dirname, '../../../bench/fixtures/pairs-small.tsv');

describe('bench pairs on the small fixture', () => {
  let result: BenchResult;
  let io: CapturedIo;
  let code: number;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semcache-bench-'));
    io = captureIo();
    code = await runBench(
      [
        'pairs',
        '--file',
        FIXTURE,
        '--threshold',
        '0.90',
        '--guards',
        'none',
        '--embed-workers',
        '1',
        '--concurrency',
        '2',
        '--baseline',
        'exact',
        '--feedback',
        'true',
        '--json',
        join(dir, 'out.json'),
        '--report',
        join(dir, 'out.md'),
      ],
      io,
      { env: {} },
    );
    result = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as BenchResult;
  }, 90_000);

  it('exits 0', () => {
    expect(code).toBe(0);
  });

  it('counts the correct and wrong hits a hand count predicts at the run threshold', () => {
    expect(result.details.mode).toBe('pairs');
    if (result.details.mode !== 'pairs') return;
    const s = result.details.pairs.score;
    expect({
      queries: s.queries,
      label1: s.label1Queries,
      hits: s.hits,
      exact: s.exactHits,
      correct: s.correctHits,
      wrong: s.wrongHits,
      wrongOnLabel0: s.wrongHitsOnLabel0,
    }).toEqual({ queries: 9, label1: 5, hits: 7, exact: 2, correct: 4, wrong: 3, wrongOnLabel0: 3 });
    expect(result.precision).toBeCloseTo(4 / 7, 10);
    expect(result.recall).toBeCloseTo(4 / 5, 10);
    expect(result.hitRate).toBeCloseTo(7 / 9, 10);
    expect(result.falseHitRate).toBeCloseTo(3 / 4, 10);
  });

  it('derives the other thresholds from the same run', () => {
    const at = (t: number) => result.sweep?.find((p) => p.threshold === t);
    expect([at(0.95)?.correctHits, at(0.95)?.wrongHits]).toEqual([3, 0]);
    expect([at(0.85)?.correctHits, at(0.85)?.wrongHits]).toEqual([5, 3]);
    expect(result.sweep?.map((p) => p.threshold)).toEqual([
      0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1,
    ]);
  });

  it('recommends the lowest threshold that reaches the target precision', () => {
    // 0.95 is the first threshold of the sweep without a wrong hit (reset / restart scores 0.948).
    expect(result.recommended).toMatchObject({ targetPrecision: 0.9, threshold: 0.95, precision: 1, recall: 3 / 5 });
  });

  it('hits at the run threshold as many times as the proxy serves when asked at it', () => {
    if (result.details.mode !== 'pairs') throw new Error('not pairs');
    expect(result.details.pairs.measuredAtThreshold).toEqual({ hits: 7, correctHits: 4 });
  });

  it('reports the three wrong hits as feedback, after which none of them comes back', () => {
    if (result.details.mode !== 'pairs') throw new Error('not pairs');
    expect(result.details.pairs.feedback).toEqual({ reported: 3, blocks: 3, afterwards: { misses: 3, correctHits: 0, wrongHits: 0 } });
    expect(io.out()).toMatch(/feedback blocks\s+3\s+0/);
  });

  it('counts only the exact hits in the exact-only baseline', () => {
    expect(result.baseline).toMatchObject({ cache: 'exact', hitRate: 2 / 9, precision: 1, recall: 2 / 5, falseHitRate: 0 });
    expect(result.baseline?.money.embeddingCostUsd).toBe(0);
  });

  it('reports money that the proxy and the bench tally agree on', () => {
    expect(result.money.disagreements).toEqual([]);
    expect(result.money.tokensSaved).toBe(result.money.tally.tokensSaved);
    expect(result.money.tokensSaved).toBeGreaterThan(0);
    expect(result.money.spendWithoutCacheUsd).toBeCloseTo(result.money.spendUsd + result.money.savedUsd, 12);
    expect(result.money.netSavedUsd).toBeCloseTo(result.money.savedUsd - result.money.embeddingCostUsd, 12);
    expect(result.baseline?.money.disagreements).toEqual([]);
  });

  it('prints the JSON figures in the table', () => {
    const row = (name: string) =>
      io
        .out()
        .split('\n')
        .find((line) => line.startsWith(name))
        ?.trim()
        .split(/\s{2,}/);
    expect(row('precision')).toEqual(['precision', (4 / 7).toFixed(3), '1.000']);
    expect(row('recall')).toEqual(['recall', '0.800', '0.400']);
    expect(row('hits (exact)')).toEqual(['hits (exact)', '7 (2)', '2 (2)']);
    expect(row('tokens saved')).toEqual(['tokens saved', String(result.money.tokensSaved), String(result.baseline?.money.tokensSaved)]);
  });

  it('writes the report with its chart next to it', async () => {
    const markdown = await readFile(join(dir, 'out.md'), 'utf8');
    const svg = await readFile(join(dir, 'out.svg'), 'utf8');
    expect(markdown).toContain('![chart](out.svg)');
    expect(markdown).toContain('| precision | 0.571 | 1.000 |');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>precision</text>');
    expect(svg).toContain('>recall</text>');
  });

  it('prints plain progress lines when stderr is not a terminal', () => {
    expect(io.err()).toContain('pairs: asking text_b at 0.8: 9/9 (100%)\n');
    expect(io.err()).not.toContain('\r');
  });
});
