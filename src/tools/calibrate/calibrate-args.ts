// Flags of `semcache calibrate`, parsed once into a frozen, typed options object; every problem is
// reported in one error so a user fixes a command line in one go.
import { parseArgs } from 'node:util';
import { DEFAULT_EMBED_BATCH_WAIT_MS, DEFAULT_EMBED_MODEL, DEFAULT_EMBED_TIMEOUT_MS } from '../../config.js';
import type { EmbedderSpec } from '../../embed/create-embedder.js';
import { DEFAULT_GUARD_NAMES, DEFAULT_SUPPORT, type SupportOptions } from '../../cache/guards/index.js';
import { formatFlagHelp } from '../../flag-help.js';
import { TUNABLE, type TuneSpec } from './tuning.js';

export const DEFAULT_CALIBRATE_WORKERS = 2;
export const DEFAULT_MEASURE_THRESHOLD = 0.9;

/** Every flag of `semcache calibrate` (without its leading --): the parser and `--help` read this one table. */
export const CALIBRATE_FLAGS = {
  file: {
    value: '<path>',
    default: '(required)',
    help: 'the pairs file (label<TAB>text_a<TAB>text_b[<TAB>kind], header first, 1 = same meaning) or a stream .jsonl ({"prompt","intent"}: each prompt with its most similar earlier one)',
  },
  'target-precision': { value: '<number 0..1>', default: '(required)', help: 'precision to reach, in (0, 1]' },
  guards: { value: 'default|none|<a,b,...>', default: 'default', help: 'guards applied to each pair' },
  'support-similarity': { value: '<number 0..1>', default: String(DEFAULT_SUPPORT.confidentSimilarity), help: 'as SEMCACHE_SUPPORT_SIMILARITY' },
  'support-penalty': { value: '<number 0..1>', default: String(DEFAULT_SUPPORT.penaltyPerWord), help: 'as SEMCACHE_SUPPORT_PENALTY' },
  'support-common-weight': {
    value: '<number 0..1>',
    default: String(DEFAULT_SUPPORT.commonWordWeight),
    help: 'what the most common English words weigh in the charge',
  },
  'support-max-words': { value: '<number>', default: String(DEFAULT_SUPPORT.maxWords), help: "most words' worth charged" },
  tune: {
    value: '<name>=<v1,v2,...>',
    default: '(none)',
    help: 'choose support-penalty, support-common-weight, support-max-words or support-similarity on --file alone (most recall at the target precision)',
  },
  'measure-on': { value: '<path>', default: '(none)', help: 'with --tune: a pairs or stream file to measure each tuned value on' },
  'measure-threshold': { value: '<number 0..1>', default: String(DEFAULT_MEASURE_THRESHOLD), help: 'the threshold --measure-on is measured at' },
  embedder: {
    value: 'use|use-tfjs|transformers|openai',
    default: 'use',
    help: 'embedding backend (use: the bundled USE-lite on onnxruntime; use-tfjs: the same model on TensorFlow.js; openai: an embeddings endpoint)',
  },
  'embed-model': {
    value: '<id or folder>',
    default: DEFAULT_EMBED_MODEL,
    help: "transformers model id or local folder, or the endpoint's model name (openai, required)",
  },
  'embed-url': {
    value: '<url>',
    default: '(none)',
    help: "openai: the endpoint's base URL, e.g. http://127.0.0.1:8000/v1 (its key is read from SEMCACHE_EMBED_API_KEY)",
  },
  'embed-cache-dir': { value: '<path>', default: '(none)', help: 'where transformers models are cached (nothing is downloaded)' },
  workers: { value: '<int>', default: String(DEFAULT_CALIBRATE_WORKERS), help: 'embedding worker threads' },
  'min-hits': { value: '<int>', default: '1', help: 'fewest hits a threshold must give to count' },
  limit: { value: '<int>', default: '(all)', help: 'read only the first N pairs' },
  json: { value: '<path>', default: '(none)', help: 'also write the full result (curves, per-pair scores) as JSON' },
} as const satisfies Record<string, { readonly value: string; readonly default: string; readonly help: string }>;

type CalibrateFlag = keyof typeof CALIBRATE_FLAGS;

const PARSE_OPTIONS = {
  ...(Object.fromEntries(Object.keys(CALIBRATE_FLAGS).map((name) => [name, { type: 'string' }])) as Record<CalibrateFlag, { type: 'string' }>),
  help: { type: 'boolean' },
} as const;

export const CALIBRATE_USAGE = formatFlagHelp(
  `Usage: semcache calibrate --file pairs.tsv --target-precision 0.99 [flags]

Reads labelled pairs, embeds every text, and finds the lowest similarity threshold (the most
recall) whose precision reaches the target. With a kind column, hits are also reported by kind at
0.95 and 0.90.`,
  Object.entries(CALIBRATE_FLAGS).map(([name, flag]) => ({ flag: `--${name}`, env: undefined, ...flag })),
).trimEnd();

/** Texts per embed call: small enough for steady progress, large enough to keep workers busy. */
export const CALIBRATE_BATCH = 64;

export interface CalibrateOptions {
  readonly file: string;
  readonly targetPrecision: number;
  readonly guards: readonly string[];
  readonly support: SupportOptions;
  readonly backend: EmbedderSpec;
  readonly workers: number;
  readonly minHits: number;
  readonly limit: number;
  readonly jsonPath: string | undefined;
  readonly tune: TuneSpec | undefined;
  readonly measureOn: string | undefined;
  readonly measureThreshold: number;
}

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
  const values = list
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map(Number);
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

interface BackendFlags {
  readonly kind: string | undefined;
  readonly model: string | undefined;
  readonly cacheDir: string | undefined;
  readonly url: string | undefined;
  readonly apiKey: string | undefined;
}

function parseRemote(flags: BackendFlags, problems: string[]): EmbedderSpec {
  const url = URL.canParse(flags.url ?? '') ? new URL(flags.url ?? '') : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(`--embedder openai needs --embed-url, an http(s) URL, got ${JSON.stringify(flags.url ?? '')}`);
  }
  if (flags.model === undefined) problems.push('--embedder openai needs --embed-model, the model name the endpoint serves');
  return {
    kind: 'openai',
    url: url ?? new URL('http://invalid'),
    model: flags.model ?? '',
    apiKey: flags.apiKey,
    timeoutMs: DEFAULT_EMBED_TIMEOUT_MS,
    batchWaitMs: DEFAULT_EMBED_BATCH_WAIT_MS,
  };
}

function parseBackend(flags: BackendFlags, problems: string[]): EmbedderSpec {
  const { kind, model, cacheDir } = flags;
  if (kind === undefined || kind === 'use' || kind === 'use-tfjs') return { kind: kind ?? 'use' };
  if (kind === 'openai') return parseRemote(flags, problems);
  if (kind !== 'transformers') problems.push(`--embedder must be use, use-tfjs, transformers or openai, got "${kind}"`);
  // Calibration never downloads: a model must already be on disk (or in the cache folder).
  const spec = { kind: 'transformers', model: model ?? DEFAULT_EMBED_MODEL, allowRemote: false } as const;
  return cacheDir === undefined ? spec : { ...spec, cacheDir };
}

/** `embedApiKey`: SEMCACHE_EMBED_API_KEY, which the CLI reads through config.ts (never a flag: a flag shows in `ps`). */
export function parseCalibrateArgs(argv: readonly string[], secrets: { readonly embedApiKey?: string | undefined } = {}): CalibrateArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: PARSE_OPTIONS,
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
    backend: parseBackend(
      { kind: values.embedder, model: values['embed-model'], cacheDir: values['embed-cache-dir'], url: values['embed-url'], apiKey: secrets.embedApiKey },
      problems,
    ),
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
