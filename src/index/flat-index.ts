// Exact brute-force nearest neighbours: every query scores every stored vector. Used for small cache
// partitions (where a scan of a few hundred vectors beats walking a graph) and as ground truth for the
// HNSW index in tests and benchmarks.

import type { Neighbour, VectorIndex } from './vector-index.js';
import { assertDimension } from './dimension.js';
import { createTopK } from './top-k.js';

export interface FlatIndex extends VectorIndex {
  /** Every stored vector with its label, in storage order; views into the index's own buffer. */
  entries(): IterableIterator<[label: number, vector: Float32Array]>;
}

// One row to start, doubling as it grows: most partitions (one per conversation context) hold a
// single entry, and 16 rows each would make the tier 16 times larger than its vectors.
const INITIAL_CAPACITY = 1;

export function createFlatIndex(dimension: number): FlatIndex {
  // Vectors are packed row by row in one buffer; slot i holds labels[i]. Removal moves the last row
  // into the freed slot, so rows 0..size-1 are always live and a scan never skips holes.
  let data = new Float32Array(INITIAL_CAPACITY * dimension);
  const labels: number[] = [];
  const slotOf = new Map<number, number>();

  function ensureCapacity(rows: number): void {
    if (rows * dimension <= data.length) return;
    const grown = new Float32Array(Math.max(rows, (data.length / dimension) * 2) * dimension);
    grown.set(data);
    data = grown;
  }

  function add(label: number, vector: Float32Array): void {
    assertDimension(dimension, vector);
    const existing = slotOf.get(label);
    if (existing !== undefined) {
      data.set(vector, existing * dimension);
      return;
    }
    const slot = labels.length;
    ensureCapacity(slot + 1);
    data.set(vector, slot * dimension);
    labels.push(label);
    slotOf.set(label, slot);
  }

  function remove(label: number): void {
    const slot = slotOf.get(label);
    if (slot === undefined) return;
    const last = labels.length - 1;
    const lastLabel = labels[last];
    if (slot !== last && lastLabel !== undefined) {
      data.copyWithin(slot * dimension, last * dimension, (last + 1) * dimension);
      labels[slot] = lastLabel;
      slotOf.set(lastLabel, slot);
    }
    labels.pop();
    slotOf.delete(label);
  }

  function search(vector: Float32Array, k: number): Neighbour[] {
    assertDimension(dimension, vector);
    const topK = createTopK(Math.min(k, labels.length));
    for (let slot = 0; slot < labels.length; slot++) topK.offer(slot, dotAt(data, slot * dimension, vector));
    return topK.sorted().map(({ id, score }) => ({ label: labels[id] ?? -1, similarity: score }));
  }

  function* entries(): IterableIterator<[number, Float32Array]> {
    for (let slot = 0; slot < labels.length; slot++) {
      const label = labels[slot];
      if (label !== undefined) yield [label, data.subarray(slot * dimension, (slot + 1) * dimension)];
    }
  }

  return {
    dimension,
    get size() {
      return labels.length;
    },
    // The buffer (including its spare rows) plus roughly 48 bytes per label for the array slot and
    // the Map entry that finds it.
    get bytes() {
      return data.byteLength + labels.length * 48;
    },
    add,
    remove,
    search,
    has: (label) => slotOf.has(label),
    labels: () => slotOf.keys(),
    entries,
  };
}

// The scan's whole cost. Four independent sums let V8 keep several multiplies in flight (about a
// quarter faster than one running sum at 512-d); indices stay in bounds, so `?? 0` never fires.
function dotAt(data: Float32Array, offset: number, vector: Float32Array): number {
  const n = vector.length;
  const unrolled = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < unrolled; i += 4) {
    s0 += (data[offset + i] ?? 0) * (vector[i] ?? 0);
    s1 += (data[offset + i + 1] ?? 0) * (vector[i + 1] ?? 0);
    s2 += (data[offset + i + 2] ?? 0) * (vector[i + 2] ?? 0);
    s3 += (data[offset + i + 3] ?? 0) * (vector[i + 3] ?? 0);
  }
  for (let i = unrolled; i < n; i++) s0 += (data[offset + i] ?? 0) * (vector[i] ?? 0);
  return s0 + s1 + s2 + s3;
}
