// The labelled pairs `semcache calibrate` scores, read from a pairs file (label<TAB>text_a<TAB>text_b
// [<TAB>kind]) or derived from a stream file ({"prompt", "intent"} per line). A stream has no pairs:
// each prompt is paired with the earlier prompt nearest to it, the candidate a cache holding every
// earlier prompt would weigh first, and the pair is labelled 1 when both have the same intent. That
// is a pairwise view of `bench stream` (which stores only misses and weighs up to 4 candidates):
// it lets a parameter be tuned or measured on a stream as on Quora pairs, in one embedding pass.
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { normalizeForEmbedding } from '../../cache/normalize.js';
import { parsePairs, type PairRow } from '../bench/pairs-file.js';
import { createProgress } from '../bench/progress.js';
import { parseStream, type StreamPrompt } from '../bench/stream-file.js';
import type { Embedder } from '../../embed/embedder.js';
import { CALIBRATE_BATCH } from './calibrate-args.js';
import { cosine } from '../../embed/unit-vector.js';
import { embedTexts } from './embed-texts.js';

export class CalibrateInputError extends Error {
  override readonly name = 'CalibrateInputError';
}

export interface LabelledSet {
  readonly file: string;
  /** True when the pairs were derived from a stream file. */
  readonly derived: boolean;
  /** text_a is asked, text_b is the stored candidate, as the cache's guards see them. */
  readonly rows: readonly PairRow[];
  /** Vectors by normalised text. */
  readonly vectors: ReadonlyMap<string, Float32Array>;
}

export interface EmbedOptions {
  readonly workers: number;
  readonly stderr: Writable;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new CalibrateInputError(`cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

async function embedAll(embedder: Embedder, texts: readonly string[], options: EmbedOptions) {
  const normalised = texts.map(normalizeForEmbedding);
  const isTTY = (options.stderr as Writable & { isTTY?: boolean }).isTTY === true;
  const progress = createProgress({ stream: options.stderr, isTTY }, 'embedding', new Set(normalised).size);
  return embedTexts(embedder, normalised, { batchSize: CALIBRATE_BATCH, inFlight: 2 * options.workers, progress });
}

/** Each prompt with the most similar earlier prompt (the first one has none). */
function nearestEarlier(prompts: readonly StreamPrompt[], vectors: ReadonlyMap<string, Float32Array>): PairRow[] {
  const vs = prompts.map((p) => vectors.get(normalizeForEmbedding(p.prompt))!);
  const rows: PairRow[] = [];
  for (let i = 1; i < prompts.length; i++) {
    let best = 0;
    let bestSimilarity = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < i; j++) {
      const s = cosine(vs[i]!, vs[j]!);
      if (s > bestSimilarity) [best, bestSimilarity] = [j, s];
    }
    const query = prompts[i]!;
    const stored = prompts[best]!;
    const same = query.intent === undefined ? query.prompt === stored.prompt : query.intent === stored.intent;
    rows.push({ label: same ? 1 : 0, textA: query.prompt, textB: stored.prompt });
  }
  return rows;
}

export type LabelledInput =
  | { readonly file: string; readonly kind: 'pairs'; readonly rows: readonly PairRow[] }
  | { readonly file: string; readonly kind: 'stream'; readonly prompts: readonly StreamPrompt[] };

/** Reads and checks a file before any model is loaded, so bad input fails fast. */
export async function readLabelledInput(file: string, limit: number): Promise<LabelledInput> {
  const text = await readText(file);
  if (file.endsWith('.jsonl')) {
    const prompts = parseStream(text, limit);
    if (prompts.length < 2) throw new CalibrateInputError(`${file} has fewer than 2 prompts`);
    return { file, kind: 'stream', prompts };
  }
  const rows = parsePairs(text, limit);
  if (rows.length === 0) throw new CalibrateInputError(`${file} has no pairs`);
  return { file, kind: 'pairs', rows };
}

export async function embedLabelledInput(input: LabelledInput, embedder: Embedder, options: EmbedOptions): Promise<LabelledSet> {
  if (input.kind === 'stream') {
    const vectors = await embedAll(
      embedder,
      input.prompts.map((p) => p.prompt),
      options,
    );
    return { file: input.file, derived: true, rows: nearestEarlier(input.prompts, vectors), vectors };
  }
  const vectors = await embedAll(
    embedder,
    input.rows.flatMap((r) => [r.textA, r.textB]),
    options,
  );
  return { file: input.file, derived: false, rows: input.rows, vectors };
}
