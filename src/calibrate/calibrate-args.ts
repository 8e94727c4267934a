// Flags of `semcache calibrate`, parsed once into a frozen, typed options object; every problem is
// reported in one error so a user fixes a command line in one go.
import { parseArgs } from 'node:util';
import { DEFAULT_EMBED_MODEL } from '../config.js';
import type { BackendSpec } from '../embed/embed-backend.js';
import { DEFAULT_GUARD_NAMES, DEFAULT_SUPPORT, type SupportOptions } from '../cache/guards/index.js';
import { TUNABLE, type TuneSpec } from './tuning.js';

export const CALIBRATE_USAGE = `Usage: semcache calibrate --file pairs.tsv --target-precision 0.99 [flags]

Reads labelled pairs (label<TAB>text_a<TAB>text_b[<TAB>kind], header line first), embeds every
text, and finds the lowest similarity threshold (the most recall) whose precision reaches the target.
A stream file (.jsonl, {"prompt", "intent"} per line) is read as pairs: each prompt with the most
similar earlier prompt, labelled 1 when their intents match. With a kind column, hits are also
reported by kind at 0.95 and 0.90.

  --file PATH               the pairs or stream file (required)
  --target-precision P      precision to reach, in (0, 1] (required)
  --guards default|none|a,b guards applied to each pair (default: default)
  --support-similarity S    as SEMCACHE_SUPPORT_SIMILARITY (default: ${DEFAULT_SUPPORT.confidentSimilarity})
  --support-penalty P       as SEMCACHE_SUPPORT_PENALTY (default: ${DEFAULT_SUPPORT.penaltyPerWord})
  --support-common-weight W what the most common English words weigh in the charge (default: ${DEFAULT_SUPPORT.commonWordWeight})
  --support-max-words N     most words' worth charged (default: ${DEFAULT_SUPPORT.maxWords})
  --tune NAME=V1,V2,...     choose NAME (support-penalty, support-common-weight, support-max-words,
                            support-similarity) on --file alone: the value with the most recall at the
                            target precision; with --measure-on, report that file with each value
  --measure-on PATH         a pairs or stream file to measure a tuned value on (with --tune)
  --measure-threshold T     the threshold --measure-on is measured at (default: 0.9)
  --embedder use|transformers  embedding backend (default: use, the bundled USE-lite)
  --embed-model ID          transformers model id or local folder (default: ${DEFAULT_EMBED_MODEL})
  --embed-cache-dir PATH    where transformers models are cached (nothing is downloaded)
  --workers N               embedding worker threads (default: 2)
  --min-hits N              fewest hits a threshold must give to count (default: 1)
  --limit N                 read only the first N pairs
  --json PATH               also write the full result (curves, per-pair scores) as JSON`;

export const DEFAULT_CALIBRATE_WORKERS = 2;
/** Texts per embed call: small enough for steady progress, large enough to keep workers busy. */
export const CALIBRATE_BATCH = 64;

export interface CalibrateOptions {
  readonly file: string;
  readonly targetPrecision: number;
  readonly guards: readonly string[];
  readonly support: SupportOptions;
  readonly backend: BackendSpec;
  readonly workers: number;
  readonly minHits: number;
  readonly limit: number;
  readonly jsonPath: string | undefined;
  readonly tune: TuneSpec | undefined;
  readonly measureOn: string | undefined;
  readonly measureThreshold: number;
}

export const DEFAULT_MEASURE_THRESHOLD = 0.9;

export type CalibrateArgs = { readonly help: true } | { readonly help: false; readonly options: CalibrateOptions };

export class CalibrateArgsError extends Error {
  override readonly name = 'CalibrateArgsError';
}

function parseGuards(value: string | undefined): readonly string[] {
  if (value === undefined || value === 'default') return DEFAULT_GUARD_NAMES;
  if (value === 'none') return [];
  return value
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
}

function unitNumber(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) problems.push(`--${name} must be a number in [0, 1], got "${value}"`);
  return n;
}

function nonNegative(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0)) problems.push(`--${name} must be a number >= 0, got "${value}"`);
  return n;
}

function parseTune(value: string | undefined, problems: string[]): TuneSpec | undefined {
  if (value === undefined) return undefined;
  const [name = '', list = ''] = value.split('=', 2);
  const values = list.split(',').map((v) => v.trim()).filter((v) => v !== '').map(Number);
  if (TUNABLE[name] === undefined) problems.push(`--tune must name one of ${Object.keys(TUNABLE).join(', ')}, got "${name}"`);
  else if (values.length === 0 || values.some((v) => !(v >= 0))) problems.push(`--tune ${name} needs a comma list of numbers >= 0, got "${list}"`);
  return { name, values };
}

function positiveInt(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) problems.push(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function parseBackend(kind: string | undefined, model: string | undefined, cacheDir: string | undefined, problems: string[]): BackendSpec {
  if (kind === undefined || kind === 'use') return { kind: 'use' };
  if (kind !== 'transformers') problems.push(`--embedder must be use or transformers, got "${kind}"`);
  // Calibration never downloads: a model must already be on disk (or in the cache folder).
  const spec = { kind: 'transformers', model: model ?? DEFAULT_EMBED_MODEL, allowRemote: false } as const;
  return cacheDir === undefined ? spec : { ...spec, cacheDir };
}

export function parseCalibrateArgs(argv: readonly string[]): CalibrateArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        file: { type: 'string' },
        'target-precision': { type: 'string' },
        guards: { type: 'string' },
        'support-similarity': { type: 'string' },
        'support-penalty': { type: 'string' },
        'support-common-weight': { type: 'string' },
        'support-max-words': { type: 'string' },
        tune: { type: 'string' },
        'measure-on': { type: 'string' },
        'measure-threshold': { type: 'string' },
        embedder: { type: 'string' },
        'embed-model': { type: 'string' },
        'embed-cache-dir': { type: 'string' },
        workers: { type: 'string' },
        'min-hits': { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (cause) {
    throw new CalibrateArgsError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  if (values.help === true) return { help: true };
  const problems: string[] = [];
  if (values.file === undefined) problems.push('--file is required');
  const target = Number(values['target-precision']);
  if (values['target-precision'] === undefined) problems.push('--target-precision is required');
  else if (!(target > 0 && target <= 1)) problems.push(`--target-precision must be in (0, 1], got "${values['target-precision']}"`);
  const options: CalibrateOptions = Object.freeze({
    file: values.file ?? '',
    targetPrecision: target,
    guards: parseGuards(values.guards),
    support: Object.freeze({
      confidentSimilarity: unitNumber('support-similarity', values['support-similarity'], DEFAULT_SUPPORT.confidentSimilarity, problems),
      penaltyPerWord: unitNumber('support-penalty', values['support-penalty'], DEFAULT_SUPPORT.penaltyPerWord, problems),
      commonWordWeight: unitNumber('support-common-weight', values['support-common-weight'], DEFAULT_SUPPORT.commonWordWeight, problems),
      maxWords: nonNegative('support-max-words', values['support-max-words'], DEFAULT_SUPPORT.maxWords, problems),
    }),
    backend: parseBackend(values.embedder, values['embed-model'], values['embed-cache-dir'], problems),
    workers: positiveInt('workers', values.workers, DEFAULT_CALIBRATE_WORKERS, problems),
    minHits: positiveInt('min-hits', values['min-hits'], 1, problems),
    limit: positiveInt('limit', values.limit, Number.POSITIVE_INFINITY, problems),
    jsonPath: values.json,
    tune: parseTune(values.tune, problems),
    measureOn: values['measure-on'],
    measureThreshold: unitNumber('measure-threshold', values['measure-threshold'], DEFAULT_MEASURE_THRESHOLD, problems),
  });
  if (options.measureOn !== undefined && options.tune === undefined) problems.push('--measure-on needs --tune');
  if (problems.length > 0) throw new CalibrateArgsError(`semcache calibrate: ${problems.join('; ')}\n\n${CALIBRATE_USAGE}`);
  return { help: false, options };
}
