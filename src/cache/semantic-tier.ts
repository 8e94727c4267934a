// The semantic tier: cached prompts' vectors, partitioned. Every entry belongs to exactly one
// partition (a hash of its context fingerprint, tenant and embedder model, computed by the caller),
// and a lookup searches only its own partition, so another tenant's or another context's entry can
// never be a candidate, however similar its prompt.

import type { Neighbour, VectorIndex } from '../index/vector-index.js';
import { createFlatIndex, type FlatIndex } from '../index/flat-index.js';
import { createHnswIndex } from '../index/hnsw-index.js';

export interface SemanticTierOptions {
  readonly dimension: number;
  /** Builds the index a partition is promoted to; HNSW by default. */
  readonly createIndex?: (dimension: number) => VectorIndex;
  /** Entries at which a partition leaves its exact flat index for `createIndex`'s. */
  readonly promoteAt?: number;
  /** Building the promoted index yields the event loop this often (ms; 0: after every vector). */
  readonly promoteSliceMs?: number;
}

export interface SemanticTier {
  /** Labels are entry ids: unique across partitions, so one label lives in one partition. */
  add(partition: string, label: number, vector: Float32Array): void;
  /** A label that is not in the partition is ignored. */
  remove(partition: string, label: number): void;
  /** Nearest neighbours within the partition only, most similar first; none for an unknown one. */
  search(partition: string, vector: Float32Array, k: number): Neighbour[];
  has(partition: string, label: number): boolean;
  /** Whether the partition holds any vector (a search there could find something). */
  holds(partition: string): boolean;
  readonly size: number;
  readonly bytes: number;
  readonly partitions: number;
  clear(): void;
  /** Partitions that left their flat index: the ones worth saving (a flat one is rebuilt at once). */
  promoted(): IterableIterator<[partition: string, index: VectorIndex]>;
  /** Installs an index loaded from a snapshot as a partition's (replacing what it held). */
  adopt(partition: string, index: VectorIndex): void;
}

// bench/index-bench.mjs (512-d, k=1): a flat scan takes ~0.8 ms p50 at 1024 vectors against ~0.1 ms
// for HNSW, which is faster from ~128 vectors on. But every hnswlib index allocates 65536 label locks
// (2.5 MiB measured, empty), as much as the flat storage of ~1280 vectors, and most partitions stay
// small; so a partition stays flat, and exact, until a scan starts to cost close to a millisecond.
export const DEFAULT_PROMOTE_AT = 1024;

// Building HNSW over 1,024 random 512-d vectors takes about 0.2 s: in one go, every request would
// wait for it. The graph is built in slices while the flat index goes on answering.
const PROMOTE_SLICE_MS = 8;

interface Partition {
  /** What searches read: the flat index until its promotion is complete. */
  index: VectorIndex;
  /** Set while the partition is still flat, so it can be promoted from its own vectors. */
  flat: FlatIndex | undefined;
  /** The index being built, and the flat vectors not in it yet (copies: the flat rows move). */
  promotion: { readonly index: VectorIndex; readonly waiting: Map<number, Float32Array> } | undefined;
}

export function createSemanticTier(options: SemanticTierOptions): SemanticTier {
  const { dimension } = options;
  const promoteAt = Math.max(1, options.promoteAt ?? DEFAULT_PROMOTE_AT);
  const createIndex = options.createIndex ?? ((d: number) => createHnswIndex({ dimension: d, initialCapacity: promoteAt * 2 }));
  const sliceMs = options.promoteSliceMs ?? PROMOTE_SLICE_MS;
  const partitions = new Map<string, Partition>();
  let size = 0;

  function startPromotion(key: string, partition: Partition, flat: FlatIndex): void {
    const waiting = new Map<number, Float32Array>();
    for (const [label, vector] of flat.entries()) waiting.set(label, vector.slice());
    partition.promotion = { index: createIndex(dimension), waiting };
    continuePromotion(key, partition);
  }

  /** One slice of the build; the last one puts the new index in the flat one's place. */
  function continuePromotion(key: string, partition: Partition): void {
    const { promotion } = partition;
    // A partition emptied, cleared or replaced meanwhile is left to the garbage collector.
    if (promotion === undefined || partitions.get(key) !== partition) return;
    const until = performance.now() + sliceMs;
    for (const [label, vector] of promotion.waiting) {
      promotion.waiting.delete(label);
      promotion.index.add(label, vector);
      if (performance.now() > until) break;
    }
    if (promotion.waiting.size > 0) {
      setTimeout(() => continuePromotion(key, partition), 0).unref();
      return;
    }
    partition.index = promotion.index;
    partition.flat = undefined;
    partition.promotion = undefined;
  }

  function add(key: string, label: number, vector: Float32Array): void {
    let partition = partitions.get(key);
    if (partition === undefined) {
      const flat = createFlatIndex(dimension);
      partition = { index: flat, flat, promotion: undefined };
      partitions.set(key, partition);
    }
    const before = partition.index.size;
    partition.index.add(label, vector);
    size += partition.index.size - before;
    const { promotion } = partition;
    if (promotion !== undefined) {
      promotion.waiting.delete(label);
      promotion.index.add(label, vector);
    } else if (partition.flat !== undefined && partition.flat.size >= promoteAt) startPromotion(key, partition, partition.flat);
  }

  function remove(key: string, label: number): void {
    const partition = partitions.get(key);
    if (partition === undefined) return;
    const before = partition.index.size;
    partition.index.remove(label);
    size -= before - partition.index.size;
    partition.promotion?.waiting.delete(label);
    partition.promotion?.index.remove(label);
    // An empty HNSW index still holds its allocation; dropping the partition frees it.
    if (partition.index.size === 0) partitions.delete(key);
  }

  function* promoted(): IterableIterator<[string, VectorIndex]> {
    for (const [key, partition] of partitions) if (partition.flat === undefined) yield [key, partition.index];
  }

  function adopt(key: string, index: VectorIndex): void {
    size -= partitions.get(key)?.index.size ?? 0;
    partitions.set(key, { index, flat: undefined, promotion: undefined });
    size += index.size;
  }

  function search(key: string, vector: Float32Array, k: number): Neighbour[] {
    const partition = partitions.get(key);
    return partition === undefined ? [] : partition.index.search(vector, k);
  }

  return {
    add,
    remove,
    search,
    has: (key, label) => partitions.get(key)?.index.has(label) === true,
    holds: (key) => (partitions.get(key)?.index.size ?? 0) > 0,
    promoted,
    adopt,
    get size() {
      return size;
    },
    get bytes() {
      let total = 0;
      for (const partition of partitions.values()) total += partition.index.bytes + (partition.promotion?.index.bytes ?? 0);
      return total;
    },
    get partitions() {
      return partitions.size;
    },
    clear() {
      partitions.clear();
      size = 0;
    },
  };
}
