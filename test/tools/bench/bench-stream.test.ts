// stream on bench/fixtures/stream-small.jsonl, one request at a time, guards off, at 0.90.
// Hand count: hits are 3 (sourdough "at home" 0.976, right intent), 4 (restart hits reset 0.948,
// wrong intent), 6 (the same text again: exact) and 9 (disable hits enable 0.909, wrong); 7 ("Why do
// earthquakes happen?" 0.885) misses although an earthquake prompt is stored. Hittable (an entry of
// the same intent stored before): 3, 6 and 7.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../src/tools/bench/bench-command.js';
import type { BenchResult } from '../../../src/tools/bench/bench-result.js';
import { captureIo } from './bench-io.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const FIXTURE = join(import.meta.dirname, '../../../bench/fixtures/stream-small.jsonl');

describe('bench stream on the small fixture', () => {
  let result: BenchResult;
  let code: number;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semcache-bench-'));
    const io = captureIo();
    code = await runBench(
      [
        'stream',
        '--file',
        FIXTURE,
        '--threshold',
        '0.9',
        '--guards',
        'none',
        '--embed-workers',
        '1',
        '--windows',
        '2',
        '--json',
        join(dir, 'out.json'),
        '--report',
        join(dir, 'out.md'),
      ],
      io,
      { env: {} },
    );
    if (code !== 0) throw new Error(io.err());
    result = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as BenchResult;
  }, 90_000);

  it('counts the hits, right and wrong, that a hand count predicts', () => {
    expect(code).toBe(0);
    if (result.details.mode !== 'stream') throw new Error('not stream');
    const s = result.details.stream.score;
    expect({ requests: s.requests, hits: s.hits, exact: s.exactHits, correct: s.correctHits, wrong: s.wrongHits, hittable: s.hittable }).toEqual({
      requests: 10,
      hits: 4,
      exact: 1,
      correct: 2,
      wrong: 2,
      hittable: 3,
    });
    expect([result.hitRate, result.precision, result.falseHitRate]).toEqual([0.4, 0.5, 0.2]);
    expect(result.recall).toBeCloseTo(2 / 3, 10);
  });

  it('reports hit rate and precision per window of the stream', () => {
    if (result.details.mode !== 'stream') throw new Error('not stream');
    expect(result.details.stream.windows).toEqual([
      { from: 0, to: 5, hitRate: 0.4, precision: 0.5, cumulativeHitRate: 0.4 },
      { from: 5, to: 10, hitRate: 0.4, precision: 0.5, cumulativeHitRate: 0.4 },
    ]);
  });

  it('has no sweep and saves the tokens of the four hits', () => {
    expect(result.sweep).toBeNull();
    expect(result.money.disagreements).toEqual([]);
    expect(result.money.tokensSaved).toBeGreaterThan(0);
  });

  it('draws hit rate over time in the chart', async () => {
    const svg = await readFile(join(dir, 'out.svg'), 'utf8');
    expect(svg).toContain('>hit rate (window)</text>');
    expect(svg.match(/<polyline /g)).toHaveLength(3);
  });
});
