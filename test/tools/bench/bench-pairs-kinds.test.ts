// pairs through the real proxy and USE-lite, default guards, at 0.95, on a file with a kind column
// (test/calibrate/fixtures/role-swaps-small.tsv): three names exchanged and a voice flipped in place
// (label 0), and a passive, a fronted and a "vs" rewording of them (label 1). Every swap scores
// above 0.95 with USE-lite (calibrate's test of the same file); the guards refuse them all.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../src/tools/bench/bench-command.js';
import type { BenchResult } from '../../../src/tools/bench/bench-result.js';
import { captureIo, type CapturedIo } from './bench-io.js';

const FIXTURE = join(import.meta.dirname, '../calibrate/fixtures/role-swaps-small.tsv');

describe('bench pairs by kind of row', () => {
  let result: BenchResult;
  let io: CapturedIo;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'semcache-bench-kinds-'));
    io = captureIo();
    const code = await runBench(
      ['pairs', '--file', FIXTURE, '--threshold', '0.95', '--embed-workers', '1', '--concurrency', '2', '--json', join(dir, 'out.json')],
      io,
      { env: {} },
    );
    expect(code).toBe(0);
    result = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as BenchResult;
  }, 90_000);

  it('counts the hits of each kind at the run threshold: no swap served, every rewording served', () => {
    if (result.details.mode !== 'pairs') throw new Error('not pairs');
    expect(result.details.pairs.byKind).toEqual([
      { kind: 'swap', label: 0, queries: 3, hits: 0, correctHits: 0, wrongHits: 0 },
      { kind: 'voice-flip', label: 0, queries: 1, hits: 0, correctHits: 0, wrongHits: 0 },
      { kind: 'voice', label: 1, queries: 1, hits: 1, correctHits: 1, wrongHits: 0 },
      { kind: 'fronting', label: 1, queries: 1, hits: 1, correctHits: 1, wrongHits: 0 },
      { kind: 'symmetric', label: 1, queries: 1, hits: 1, correctHits: 1, wrongHits: 0 },
    ]);
    expect(result.falseHitRate).toBe(0);
  });

  it('prints the table by kind', () => {
    expect(io.out()).toContain('By kind of row at 0.95');
    expect(io.out()).toMatch(/^swap +0 +3 +0 +0 +0 +0\.000$/m);
  });
});
