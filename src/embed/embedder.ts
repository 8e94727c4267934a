// The one interface the cache sees. Backends (USE-lite, transformers.js) run behind it in worker
// threads, so embedding never blocks the event loop.

export interface Embedder {
  /** Names the model and its dimension, e.g. `use-lite-512`; stored with every entry so vectors of
   * different models are never compared. */
  readonly modelId: string;
  readonly dimension: number;
  /** Unit-length vectors (cosine similarity is their inner product), one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}
