// `semcache calibrate --embedder openai` against the simulated embeddings endpoint. The simulator's
// vectors are equal for texts that differ only in spacing and nearly orthogonal otherwise, so the
// calibrated threshold must separate the spacing-only pairs from the others.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCalibrateArgs } from '../../src/tools/calibrate/calibrate-args.js';
import { runCalibrate } from '../../src/tools/calibrate/calibrate-command.js';
import { startSimUpstream, type SimUpstream } from '../../src/tools/sim/sim-app.js';

const PAIRS = [
  'label\ttext_a\ttext_b',
  '1\tHow do I reset my password?\tHow do I  reset my password?',
  '1\tWhat is the capital of France?\tWhat is the capital  of France?',
  '1\tCan I pay by card?\tCan I   pay by card?',
  '0\tHow do I reset my password?\tHow do I change my email?',
  '0\tWhat is the capital of France?\tWhat is the capital of Spain?',
  '0\tCan I pay by card?\tCan I pay in cash?',
].join('\n');

let sim: SimUpstream;
beforeAll(async () => {
  sim = await startSimUpstream({});
});
afterAll(async () => {
  await sim.close();
});

describe('semcache calibrate with a remote embedder', () => {
  it('embeds every text through the endpoint, with the key from SEMCACHE_EMBED_API_KEY, and reports the threshold', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'semcache-calibrate-')), 'pairs.tsv');
    await writeFile(file, `${PAIRS}\n`);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const argv = ['--file', file, '--target-precision', '1', '--guards', 'none', '--embedder', 'openai', '--embed-url', sim.url, '--embed-model', 'sim-embed'];
    const code = await runCalibrate(argv, { stdout, stderr: new PassThrough() }, { embedApiKey: 'sk-calibrate' });
    expect(code).toBe(0);
    expect(out).toContain('6 pairs (3 same meaning, 3 different), model openai:sim-embed-64');
    expect(out).toMatch(/^SEMCACHE_THRESHOLD=/m);
    expect(Number(/^SEMCACHE_THRESHOLD=([\d.]+)$/m.exec(out)?.[1])).toBeGreaterThan(0.5);
    expect(sim.stats.lastHeaders?.authorization).toBe('Bearer sk-calibrate');
  });

  it('needs --embed-url and --embed-model with --embedder openai', () => {
    expect(() => parseCalibrateArgs(['--file', 'p', '--target-precision', '0.9', '--embedder', 'openai'])).toThrow(
      /--embedder openai needs --embed-url, an http\(s\) URL, got ""; --embedder openai needs --embed-model/,
    );
  });
});
