// A nearest-neighbour index over unit-length vectors; similarity is the inner product (= cosine).
// Only src/index/hnsw-index.ts imports hnswlib-node.

export interface Neighbour {
  readonly label: number;
  readonly similarity: number;
}

export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  has(label: number): boolean;
  labels(): IterableIterator<number>;
  search(vector: Float32Array, k: number): Neighbour[];
  /** Bytes held by the index (vectors and graph links), an estimate for metrics and bounds. */
  readonly bytes: number;
}
