// Approximate nearest neighbours with hnswlib (HNSW graph, inner-product space over unit vectors).
// The only file that imports hnswlib-node.

import { readFileSync } from 'node:fs';
import { chmod, rename, unlink, writeFile } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import type { Neighbour, VectorIndex } from './vector-index.js';
import { assertDimension } from './dimension.js';
import { createFlatIndex, type FlatIndex } from './flat-index.js';

export interface HnswIndexOptions {
  readonly dimension: number;
  /** Slots allocated up front; the index doubles when full. */
  readonly initialCapacity?: number;
  /** Graph links per node (hnswlib's M); level 0 keeps 2M. */
  readonly m?: number;
  readonly efConstruction?: number;
  /** Candidate list size while searching: the recall/latency dial. */
  readonly efSearch?: number;
}

export const DEFAULT_HNSW_CAPACITY = 1024;
// bench/index-bench.mjs, 100k random 512-d unit vectors, near-duplicate queries (cosine ~0.965):
// M=16/efConstruction=100 finds the original first only 80% of the time at ef 64 (98% at ef 200);
// M=32/efConstruction=200 reaches 99.7% at ef 64 (74% at hnswlib's default ef of 10). Random vectors
// are the hardest case for a graph index; real embeddings cluster and do better.
export const DEFAULT_HNSW_M = 32;
export const DEFAULT_HNSW_EF_CONSTRUCTION = 200;
export const DEFAULT_HNSW_EF_SEARCH = 64;

// hnswlib allocates per slot of capacity: the vector (4 bytes a float), the level-0 link list
// (2M links of 4 bytes plus a 4-byte count), the 8-byte label, a link-list pointer (8), a level (4),
// a visited-list mark (2) and a std::mutex (40). Per stored element it adds the upper-level links
// (on average 1/(M-1) levels of M+1 words) and about 120 bytes of label maps (hnswlib's and ours).
// Every index also holds 65536 label-operation mutexes of 40 bytes, whatever its size.
const SLOT_OVERHEAD_BYTES = 8 + 8 + 4 + 2 + 40;
const ELEMENT_MAP_BYTES = 120;
const FIXED_BYTES = 65_536 * 40;

export function hnswBytes(capacity: number, elements: number, dimension: number, m: number): number {
  const perSlot = 4 * dimension + 4 * (2 * m + 1) + SLOT_OVERHEAD_BYTES;
  const perElement = (4 * (m + 1)) / Math.max(1, m - 1) + ELEMENT_MAP_BYTES;
  return FIXED_BYTES + capacity * perSlot + Math.round(elements * perElement);
}

export interface HnswIndex extends VectorIndex {
  /** Adjustable at run time: a larger ef trades latency for recall. */
  efSearch: number;
  /** Writes the index as it is when called to `file` (hnswlib's own format) and its labels to
   * `file.labels`, both 0600, each written to a temporary name first and renamed, so a crash never
   * leaves half a file. hnswlib writes in a libuv thread: the index keeps answering meanwhile, and
   * changes made during the write are applied when it ends. One save at a time. */
  save(file: string): Promise<void>;
}

/**
 * Changes made while hnswlib writes the graph in another thread, which must not change under it:
 * vectors added meanwhile wait in a flat index (searched by brute force beside the graph), and the
 * graph's labels they replace or remove are hidden from reads until the write ends.
 */
interface PendingChanges {
  readonly added: FlatIndex;
  readonly hidden: Set<number>;
}

/** The labels file: the callers' labels and hnswlib's internal labels, as pairs of float64. */
function labelsFile(file: string): string {
  return `${file}.labels`;
}

async function writeAtomically(file: string, write: (path: string) => Promise<unknown>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await write(temporary);
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

interface Restored {
  readonly native: hnswlib.HierarchicalNSW;
  readonly pairs: Float64Array;
}

function createIndex(options: HnswIndexOptions, restored?: Restored): HnswIndex {
  const { dimension } = options;
  const m = options.m ?? DEFAULT_HNSW_M;
  let capacity = Math.max(1, options.initialCapacity ?? DEFAULT_HNSW_CAPACITY);

  let native: hnswlib.HierarchicalNSW;
  if (restored === undefined) {
    native = new hnswlib.HierarchicalNSW('ip', dimension);
    // allowReplaceDeleted lets a new point reuse the slot of a removed one, so a cache that churns
    // entries does not grow the graph forever.
    native.initIndex({ maxElements: capacity, m, efConstruction: options.efConstruction ?? DEFAULT_HNSW_EF_CONSTRUCTION, allowReplaceDeleted: true });
  } else {
    native = restored.native;
    capacity = native.getMaxElements();
  }
  let efSearch = options.efSearch ?? DEFAULT_HNSW_EF_SEARCH;
  native.setEf(efSearch);

  // Callers' labels are mapped to internal labels that are never reused. hnswlib refuses to re-add a
  // deleted label when replacement is enabled, and a replaced slot drops its old internal label, so a
  // fresh internal label per add keeps both maps exact without asking hnswlib which slot it reused.
  const internalOf = new Map<number, number>();
  const labelOf = new Map<number, number>();
  let nextInternal = 0;
  let elements = 0; // slots in use by hnswlib: live points plus deleted ones not yet replaced
  let vacant = 0; // deleted slots waiting to be replaced
  if (restored !== undefined) {
    const { pairs } = restored;
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const [label, internal] = [pairs[i] ?? 0, pairs[i + 1] ?? 0];
      internalOf.set(label, internal);
      labelOf.set(internal, label);
      nextInternal = Math.max(nextInternal, internal + 1);
    }
    elements = native.getCurrentCount();
    vacant = elements - internalOf.size;
  }

  let pending: PendingChanges | undefined;

  function addToGraph(label: number, vector: Float32Array): void {
    const point = Array.from(vector);
    const existing = internalOf.get(label);
    if (existing !== undefined) {
      native.addPoint(point, existing); // same label, live: hnswlib updates the vector in place
      return;
    }
    if (vacant === 0 && elements >= capacity) {
      capacity *= 2;
      native.resizeIndex(capacity);
    }
    const internal = nextInternal++;
    native.addPoint(point, internal, vacant > 0);
    if (vacant > 0) vacant--;
    else elements++;
    internalOf.set(label, internal);
    labelOf.set(internal, label);
  }

  function removeFromGraph(label: number): void {
    const internal = internalOf.get(label);
    if (internal === undefined) return;
    native.markDelete(internal);
    internalOf.delete(label);
    labelOf.delete(internal);
    vacant++;
  }

  function searchGraph(vector: Float32Array, k: number, hidden: ReadonlySet<number> | undefined): Neighbour[] {
    // Hidden labels are fetched and dropped, so asking for that many more still yields k.
    const wanted = Math.min(Math.floor(k) + (hidden?.size ?? 0), internalOf.size);
    if (wanted <= 0) return [];
    const { neighbors, distances } = native.searchKnn(Array.from(vector), wanted);
    const found: Neighbour[] = [];
    neighbors.forEach((internal, i) => {
      const label = labelOf.get(internal);
      if (label !== undefined && hidden?.has(label) !== true) found.push({ label, similarity: 1 - (distances[i] ?? 1) });
    });
    return found;
  }

  function add(label: number, vector: Float32Array): void {
    assertDimension(dimension, vector);
    if (pending === undefined) return addToGraph(label, vector);
    if (internalOf.has(label)) pending.hidden.add(label);
    pending.added.add(label, vector);
  }

  function remove(label: number): void {
    if (pending === undefined) return removeFromGraph(label);
    pending.added.remove(label);
    if (internalOf.has(label)) pending.hidden.add(label);
  }

  function has(label: number): boolean {
    if (pending === undefined) return internalOf.has(label);
    return pending.added.has(label) || (internalOf.has(label) && !pending.hidden.has(label));
  }

  function* labels(): IterableIterator<number> {
    for (const label of internalOf.keys()) if (pending?.hidden.has(label) !== true) yield label;
    if (pending !== undefined) yield* pending.added.labels();
  }

  function search(vector: Float32Array, k: number): Neighbour[] {
    assertDimension(dimension, vector);
    const found = searchGraph(vector, k, pending?.hidden);
    if (pending !== undefined) found.push(...pending.added.search(vector, k));
    // hnswlib returns nearest first already; sorting again guards the contract for equal distances
    // and merges the vectors added during a save.
    return found.sort((a, b) => b.similarity - a.similarity).slice(0, Math.max(0, Math.floor(k)));
  }

  async function save(file: string): Promise<void> {
    if (pending !== undefined) throw new Error('the index is already being saved');
    const pairs = new Float64Array(internalOf.size * 2);
    let i = 0;
    for (const [label, internal] of internalOf) {
      pairs[i++] = label;
      pairs[i++] = internal;
    }
    const changes: PendingChanges = { added: createFlatIndex(dimension), hidden: new Set() };
    pending = changes;
    try {
      await writeAtomically(file, (path) => native.writeIndex(path));
      await writeAtomically(labelsFile(file), (path) => writeFile(path, new Uint8Array(pairs.buffer)));
    } finally {
      pending = undefined;
      for (const label of changes.hidden) if (!changes.added.has(label)) removeFromGraph(label);
      for (const [label, vector] of changes.added.entries()) addToGraph(label, vector);
    }
  }

  return {
    dimension,
    get size() {
      return pending === undefined ? internalOf.size : internalOf.size - pending.hidden.size + pending.added.size;
    },
    get bytes() {
      return hnswBytes(capacity, elements, dimension, m);
    },
    get efSearch() {
      return efSearch;
    },
    set efSearch(ef: number) {
      efSearch = ef;
      native.setEf(ef);
    },
    add,
    remove,
    search,
    has,
    labels,
    save,
  };
}

export function createHnswIndex(options: HnswIndexOptions): HnswIndex {
  return createIndex(options);
}

/** An index saved by `save`; throws when a file is missing, truncated or of another dimension. */
export function loadHnswIndex(file: string, options: HnswIndexOptions): HnswIndex {
  const bytes = readFileSync(labelsFile(file));
  if (bytes.byteLength % 16 !== 0) throw new Error(`${labelsFile(file)}: not a labels file (${bytes.byteLength} bytes)`);
  const pairs = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const native = new hnswlib.HierarchicalNSW('ip', options.dimension);
  native.readIndexSync(file, true);
  if (native.getNumDimensions() !== options.dimension) throw new Error(`${file}: dimension ${native.getNumDimensions()}, expected ${options.dimension}`);
  if (native.getCurrentCount() < pairs.length / 2) throw new Error(`${file}: ${native.getCurrentCount()} points for ${pairs.length / 2} labels`);
  return createIndex(options, { native, pairs });
}
