// The one interface the cache sees. Backends (USE-lite, transformers.js) run behind it in worker
// threads, so embedding never blocks the event loop.

export interface TimedVectors {
  readonly vectors: Float32Array[];
  readonly computeMs: number;
}

export interface Embedder {
  /** Names the model and its dimension, e.g. `use-lite-512`; stored with every entry so vectors of
   * different models are never compared. */
  readonly modelId: string;
  readonly dimension: number;
  /** Unit-length vectors (cosine similarity is their inner product), one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** The same, with the compute time the model spent on these texts (their share of a batch,
   * without time spent queueing), so the embedding cost can be counted honestly. */
  embedTimed(texts: readonly string[]): Promise<TimedVectors>;
  close(): Promise<void>;
}
