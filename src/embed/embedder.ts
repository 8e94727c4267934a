// The one interface the cache sees. Local backends (USE-lite, transformers.js) run behind it in worker
// processes or threads, so embedding never blocks the event loop; the remote embedder calls an
// OpenAI-compatible /v1/embeddings endpoint.

export interface TimedVectors {
  readonly vectors: Float32Array[];
  readonly computeMs: number;
}

export interface EmbedderHealth {
  /** 'down': embedding fails for now, and the cache serves exact hits only (requests still go upstream). */
  readonly state: 'up' | 'down';
  /** Why it is down (no secrets). */
  readonly reason?: string;
  /** Since when it is down, in ms since the epoch. */
  readonly since?: number;
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
  /** Whether embedding works now; an embedder without it is taken to be up. */
  health?(): EmbedderHealth;
  close(): Promise<void>;
}
