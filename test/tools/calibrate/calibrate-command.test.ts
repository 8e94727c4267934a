import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCalibrate } from '../../../src/tools/calibrate/calibrate-command.js';
import { formatThreshold } from '../../../src/tools/calibrate/format-report.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/pairs-small.tsv', import.meta.url));

interface Score {
  label: 0 | 1;
  similarity: number;
  guardPass: boolean;
  supported: number;
  guard?: string;
}
interface Choice {
  threshold: number;
  precision: number;
  recall: number;
}
interface ReportJson {
  recommended: (Choice & { guards: string[] }) | null;
  modelId: string;
  pairs: { total: number; positives: number; negatives: number };
  raw: { choice: Choice | null };
  guarded: { choice: Choice | null } | null;
  scores: Score[];
}

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCalibrate(argv, { stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** Independent of src/tools/calibrate/calibration.ts: try every similarity as the threshold, keep the lowest
 * whose hits (similarity >= t, guards passing) reach the target precision. */
function bruteForce(scores: readonly Score[], target: number, useGuards: boolean): number | null {
  let best: number | null = null;
  const score = (s: Score) => (useGuards ? s.supported : s.similarity);
  for (const t of scores.map(score)) {
    const hits = scores.filter((s) => score(s) >= t && (!useGuards || s.guardPass));
    const correct = hits.filter((s) => s.label === 1).length;
    if (hits.length > 0 && correct / hits.length >= target && (best === null || t < best)) best = t;
  }
  return best;
}

// The fixture, rows in file order (0-based), with the USE-lite cosines it produced when written:
//   0 reset password 0.988 | 1 capital of France 0.923 | 2 sourdough 0.969 | 3 flu 0.958
//   4 guitar 0.913 | 5 sky blue (why/what makes) 0.811 | 6 calories 0.982           (all label 1)
//   7 miles/kilometres 0.963 | 8 enable/disable 0.954 | 9 France/Spain 0.854
//   10 rice/mountain 0.14 | 11 Hamlet/tyre 0.07                                        (all label 0)
// Target 0.9, raw cosine, walking down: 0.988 1/1, 0.982 2/2, 0.969 3/3, 0.963 (miles, wrong) 3/4 =
// 0.75, 0.958 4/5 = 0.8, 0.954 4/6, 0.923 5/7, 0.913 6/8, 0.854 6/9, 0.811 7/10, lower ones worse:
// only the top three reach 0.9, so the threshold is row 2's cosine (sourdough), recall 3/7.
// With guards the three near-identical label-0 pairs are rejected (numbers, polarity, entities),
// so all seven label-1 pairs come before any wrong hit: threshold = row 5's cosine, recall 7/7; the
// next pair down (0.14, wrong) would give 7/8 = 0.875 < 0.9.
describe('semcache calibrate on the small fixture (real USE-lite, 2 workers)', () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof run>>;
  let report: ReportJson;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semcache-calibrate-'));
    const json = join(dir, 'out.json');
    result = await run(['--file', FIXTURE, '--target-precision', '0.9', '--json', json]);
    report = JSON.parse(await readFile(json, 'utf8')) as ReportJson;
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and reads all twelve pairs', () => {
    expect(result.code).toBe(0);
    expect(report.modelId).toBe('use-lite-512');
    expect(report.pairs).toEqual({ total: 12, positives: 7, negatives: 5 });
  });

  it('has the cosine ranking the hand computation relies on', () => {
    const sim = report.scores.map((s) => s.similarity);
    // Rows 0, 6, 2 above the highest wrong pair (7), which is above every other label-1 pair.
    expect(Math.min(sim[0]!, sim[6]!, sim[2]!)).toBeGreaterThan(sim[7]!);
    expect(Math.max(sim[1]!, sim[3]!, sim[4]!, sim[5]!)).toBeLessThan(sim[7]!);
    expect(sim[5]).toBe(Math.min(...report.scores.filter((s) => s.label === 1).map((s) => s.similarity)));
    expect(Math.max(sim[10]!, sim[11]!)).toBeLessThan(0.5);
  });

  it('rejects the three near-identical different-meaning pairs with the expected guards', () => {
    expect(report.scores.map((s) => s.guard ?? null)).toEqual([null, null, null, null, null, null, null, 'numbers', 'polarity', 'entities', null, null]);
  });

  // Words not shared, counted by hand: row 1 "city" (one of the 1,000 most common English words:
  // half of 0.04), row 4 "play"/"best" (two common words: one word's worth, the cap),
  // row 9 "france"/"spain", rows 10 and 11 five each (all at the cap, 0.04); rows at or above 0.95
  // are never charged, and "makes" (row 5) is a discourse word.
  it('charges the pairs below 0.95 for the words they do not share, as counted by hand', () => {
    const charges = report.scores.map((s) => Math.round((s.similarity - s.supported) * 1e6) / 1e6);
    expect(charges).toEqual([0, 0.02, 0, 0, 0.04, 0, 0, 0, 0, 0.04, 0.04, 0.04]);
    expect(result.stdout).toContain('charged by support for unshared words (different / same meaning): 2/2\n');
  });

  it('finds the raw-cosine threshold the hand computation predicts', () => {
    expect(report.raw.choice?.threshold).toBe(report.scores[2]!.similarity);
    expect(report.raw.choice?.recall).toBeCloseTo(3 / 7, 10);
    expect(report.raw.choice?.precision).toBe(1);
    expect(report.raw.choice?.threshold).toBe(bruteForce(report.scores, 0.9, false));
  });

  it('finds the guarded threshold the hand computation predicts and recommends it', () => {
    expect(report.guarded?.choice?.threshold).toBe(report.scores[5]!.similarity);
    expect(report.guarded?.choice?.recall).toBe(1);
    expect(report.guarded?.choice?.threshold).toBe(bruteForce(report.scores, 0.9, true));
    expect(report.recommended?.threshold).toBe(report.scores[5]!.similarity);
    expect(result.stdout).toContain(`SEMCACHE_THRESHOLD=${formatThreshold(report.scores[5]!.similarity)}\n`);
  });

  it('prints the curve rows of the fixed grid and the chosen thresholds', () => {
    expect(result.stdout).toMatch(/^ {3}0\.8000 {2}0\.700 {2}1\.000 +10 {2}0\.600 +1\.000 +1\.000 +7 +0\.000$/m);
    expect(result.stdout).toContain(`*${formatThreshold(report.scores[2]!.similarity)}  1.000  0.429`);
    expect(result.stdout).toContain('with guards: threshold');
    expect(result.stdout).toContain('rejected by guard (different / same meaning): numbers 1/0, polarity 1/0, entities 1/0');
  });

  it('shows embedding progress on stderr', () => {
    expect(result.stderr).toContain('embedding: 23/23 (100%)');
  });
});

describe('semcache calibrate when no threshold reaches the target', () => {
  it('says so and exits 1', async () => {
    // Raw cosine, at least 4 hits: the top three pairs are right, the fourth (miles/km) is wrong,
    // so every threshold with 4+ hits is below precision 1.
    const { code, stdout } = await run(['--file', FIXTURE, '--target-precision', '1', '--guards', 'none', '--min-hits', '4', '--workers', '1']);
    expect(code).toBe(1);
    expect(stdout).toContain('raw cosine: no threshold reaches precision 1 with at least 4 hits');
    expect(stdout).not.toContain('SEMCACHE_THRESHOLD=');
  }, 120_000);
});

const ROLE_SWAPS = fileURLToPath(new URL('./fixtures/role-swaps-small.tsv', import.meta.url));

// Three role swaps and a voice flipped in place (label 0), and a passive, a fronted and a "vs"
// rewording of them (label 1): USE-lite scores every swap above 0.95, the guards refuse them all.
describe('semcache calibrate with kinds and a tuned parameter (real USE-lite)', () => {
  let result: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    result = await run(['--file', ROLE_SWAPS, '--target-precision', '0.9', '--tune', 'support-penalty=0,0.04', '--measure-on', FIXTURE]);
  }, 120_000);

  it('reports hits by kind: raw cosine serves every swap, the guards none, and keep every rewording', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^swap +0 +3 +3 +0 +3 +0$/m);
    expect(result.stdout).toMatch(/^voice +1 +1 +1 +1 +1 +1$/m);
    expect(result.stdout).toContain('@0.95: false-hit rate of different-meaning pairs raw 0.750, with guards 0.000; same-meaning pairs keep 1.000');
  });

  it('reports each value tuned on the file and measured on the other, and the one chosen', () => {
    expect(result.stdout).toContain(`tuning support-penalty on ${ROLE_SWAPS}`);
    // Both values reach precision 1 with all the recall on the role swaps: the first is chosen.
    expect(result.stdout).toContain(`tuned on ${ROLE_SWAPS} (support-penalty = 0) / measured on ${FIXTURE}: precision 1.000, recall 0.857 at 0.9`);
  });
});
