// Embeds every distinct text of a pairs file once, in fixed-size batches with a few in flight so each
// worker always has one queued, and ticks a progress bar per finished batch.
import type { Embedder } from '../../embed/embedder.js';
import type { Progress } from '../bench/progress.js';

export interface EmbedTextsOptions {
  readonly batchSize: number;
  /** Batches awaited at once; twice the worker count keeps every worker busy. */
  readonly inFlight: number;
  readonly progress?: Progress;
}

/** Vectors keyed by text, for the distinct texts of `texts`. */
export async function embedTexts(embedder: Embedder, texts: readonly string[], options: EmbedTextsOptions): Promise<Map<string, Float32Array>> {
  const distinct = [...new Set(texts)];
  const vectors = new Map<string, Float32Array>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < distinct.length) {
      const batch = distinct.slice(next, next + options.batchSize);
      next += batch.length;
      const out = await embedder.embed(batch);
      batch.forEach((text, i) => {
        const v = out[i];
        if (v === undefined) throw new Error(`embedder returned ${out.length} vectors for ${batch.length} texts`);
        vectors.set(text, v);
      });
      options.progress?.tick(batch.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.inFlight) }, lane));
  options.progress?.done();
  return vectors;
}
