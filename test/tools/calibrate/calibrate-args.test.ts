import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CalibrateArgsError, parseCalibrateArgs } from '../../../src/tools/calibrate/calibrate-args.js';
import { runCalibrate } from '../../../src/tools/calibrate/calibrate-command.js';
import { DEFAULT_GUARD_NAMES } from '../../../src/cache/guards/index.js';

function options(argv: string[]) {
  const args = parseCalibrateArgs(argv);
  if (args.help) throw new Error('unexpected help');
  return args.options;
}

async function runQuiet(argv: string[]) {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runCalibrate(argv, { stdout: new PassThrough(), stderr });
  return { code, stderr: text };
}

describe('parseCalibrateArgs', () => {
  it('applies the defaults: default guards, bundled USE-lite, 2 workers, every row', () => {
    const o = options(['--file', 'p.tsv', '--target-precision', '0.99']);
    expect(o).toEqual({
      file: 'p.tsv',
      targetPrecision: 0.99,
      guards: DEFAULT_GUARD_NAMES,
      support: { confidentSimilarity: 0.95, penaltyPerWord: 0.04, commonWordWeight: 0.5, maxWords: 1 },
      backend: { kind: 'use' },
      workers: 2,
      minHits: 1,
      limit: Number.POSITIVE_INFINITY,
      jsonPath: undefined,
      tune: undefined,
      measureOn: undefined,
      measureThreshold: 0.9,
    });
  });

  it('reads the support similarity and penalty', () => {
    const o = options(['--file', 'p', '--target-precision', '0.9', '--support-similarity', '0.93', '--support-penalty', '0']);
    expect(o.support).toEqual({ confidentSimilarity: 0.93, penaltyPerWord: 0, commonWordWeight: 0.5, maxWords: 1 });
  });

  it('reads the common-word weight and the most words charged', () => {
    const o = options(['--file', 'p', '--target-precision', '0.9', '--support-common-weight', '1', '--support-max-words', '3']);
    expect(o.support).toEqual({ confidentSimilarity: 0.95, penaltyPerWord: 0.04, commonWordWeight: 1, maxWords: 3 });
  });

  it('reads a parameter to tune, its values, and the file to measure it on', () => {
    const o = options([
      '--file',
      'p',
      '--target-precision',
      '0.9',
      '--tune',
      'support-penalty=0, 0.02,0.04',
      '--measure-on',
      's.jsonl',
      '--measure-threshold',
      '0.92',
    ]);
    expect(o.tune).toEqual({ name: 'support-penalty', values: [0, 0.02, 0.04] });
    expect(o.measureOn).toBe('s.jsonl');
    expect(o.measureThreshold).toBe(0.92);
  });

  it('rejects an unknown parameter to tune, bad values, and --measure-on without --tune', () => {
    expect(() => options(['--file', 'p', '--target-precision', '0.9', '--tune', 'threshold=0.9'])).toThrow(
      '--tune must name one of support-penalty, support-common-weight, support-max-words, support-similarity, got "threshold"',
    );
    expect(() => options(['--file', 'p', '--target-precision', '0.9', '--tune', 'support-penalty=a,-1'])).toThrow(
      '--tune support-penalty needs a comma list of numbers >= 0, got "a,-1"',
    );
    expect(() => options(['--file', 'p', '--target-precision', '0.9', '--measure-on', 's.jsonl'])).toThrow('--measure-on needs --tune');
  });

  it('rejects a support penalty outside [0, 1] and an empty one', () => {
    expect(() => options(['--file', 'p', '--target-precision', '0.9', '--support-penalty', '2'])).toThrow(
      '--support-penalty must be a number in [0, 1], got "2"',
    );
    expect(() => options(['--file', 'p', '--target-precision', '0.9', '--support-similarity', ''])).toThrow(
      '--support-similarity must be a number in [0, 1], got ""',
    );
  });

  it('reads none and a comma list of guards', () => {
    expect(options(['--file', 'p', '--target-precision', '1', '--guards', 'none']).guards).toEqual([]);
    expect(options(['--file', 'p', '--target-precision', '1', '--guards', 'numbers, polarity']).guards).toEqual(['numbers', 'polarity']);
  });

  it('builds an offline transformers spec from --embedder and --embed-model', () => {
    const o = options(['--file', 'p', '--target-precision', '0.9', '--embedder', 'transformers', '--embed-model', '/models/minilm']);
    expect(o.backend).toEqual({ kind: 'transformers', model: '/models/minilm', allowRemote: false });
  });

  it('reports every bad flag in one error', () => {
    expect(() => parseCalibrateArgs(['--target-precision', '1.5', '--limit', '0'])).toThrow(
      /--file is required; --target-precision must be in \(0, 1\], got "1\.5"; --limit must be a positive integer, got "0"/,
    );
  });

  it('rejects an unknown flag', () => {
    expect(() => parseCalibrateArgs(['--file', 'p', '--target-precision', '1', '--treshold', '0.9'])).toThrow(CalibrateArgsError);
  });
});

describe('runCalibrate input errors', () => {
  it('exits 2 naming an unknown guard before loading any model', async () => {
    const { code, stderr } = await runQuiet(['--file', 'p.tsv', '--target-precision', '0.9', '--guards', 'numbers,typo']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown guard name(s): typo');
  });

  it('exits 2 when the pairs file cannot be read', async () => {
    const { code, stderr } = await runQuiet(['--file', '/nonexistent/pairs.tsv', '--target-precision', '0.9']);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read /nonexistent/pairs.tsv');
  });
});
