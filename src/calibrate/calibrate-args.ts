// Flags of `semcache calibrate`, parsed once into a frozen, typed options object; every problem is
// reported in one error so a user fixes a command line in one go.
import { parseArgs } from 'node:util';
import { DEFAULT_EMBED_BATCH_WAIT_MS, DEFAULT_EMBED_MODEL, DEFAULT_EMBED_TIMEOUT_MS } from '../config.js';
import type { EmbedderSpec } from '../embed/create-embedder.js';
import { DEFAULT_GUARD_NAMES, DEFAULT_SUPPORT, type SupportOptions } from '../cache/guards/index.js';

export const CALIBRATE_USAGE = `Usage: semcache calibrate --file pairs.tsv --target-precision 0.99 [flags]

Reads labelled pairs (label<TAB>text_a<TAB>text_b, header line first), embeds every text, and finds
the lowest similarity threshold (the most recall) whose precision reaches the target.

  --file PATH               the pairs file (required)
  --target-precision P      precision to reach, in (0, 1] (required)
  --guards default|none|a,b guards applied to each pair (default: default)
  --support-similarity S    as SEMCACHE_SUPPORT_SIMILARITY (default: ${DEFAULT_SUPPORT.confidentSimilarity})
  --support-penalty P       as SEMCACHE_SUPPORT_PENALTY (default: ${DEFAULT_SUPPORT.penaltyPerWord})
  --embedder use|use-tfjs|transformers|openai
                            embedding backend (default: use, the bundled USE-lite on onnxruntime;
                            use-tfjs: the same model on TensorFlow.js; openai: an embeddings endpoint)
  --embed-model ID          transformers model id or local folder (default: ${DEFAULT_EMBED_MODEL}),
                            or the endpoint's model name (openai, required)
  --embed-url URL           the endpoint's base URL, e.g. http://127.0.0.1:8000/v1 (openai, required;
                            its key is read from SEMCACHE_EMBED_API_KEY)
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
  readonly backend: EmbedderSpec;
  readonly workers: number;
  readonly minHits: number;
  readonly limit: number;
  readonly jsonPath: string | undefined;
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
  return { kind: 'openai', url: url ?? new URL('http://invalid'), model: flags.model ?? '', apiKey: flags.apiKey, timeoutMs: DEFAULT_EMBED_TIMEOUT_MS, batchWaitMs: DEFAULT_EMBED_BATCH_WAIT_MS };
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
      options: {
        file: { type: 'string' },
        'target-precision': { type: 'string' },
        guards: { type: 'string' },
        'support-similarity': { type: 'string' },
        'support-penalty': { type: 'string' },
        embedder: { type: 'string' },
        'embed-model': { type: 'string' },
        'embed-cache-dir': { type: 'string' },
        'embed-url': { type: 'string' },
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
    }),
    backend: parseBackend({ kind: values.embedder, model: values['embed-model'], cacheDir: values['embed-cache-dir'], url: values['embed-url'], apiKey: secrets.embedApiKey }, problems),
    workers: positiveInt('workers', values.workers, DEFAULT_CALIBRATE_WORKERS, problems),
    minHits: positiveInt('min-hits', values['min-hits'], 1, problems),
    limit: positiveInt('limit', values.limit, Number.POSITIVE_INFINITY, problems),
    jsonPath: values.json,
  });
  if (problems.length > 0) throw new CalibrateArgsError(`semcache calibrate: ${problems.join('; ')}\n\n${CALIBRATE_USAGE}`);
  return { help: false, options };
}
