import { describe, it, expect } from 'vitest';
import { createHnswIndex, DEFAULT_HNSW_EF_SEARCH, hnswBytes } from '../../src/index/hnsw-index.js';
import { createFlatIndex } from '../../src/index/flat-index.js';
import { createVectorSource } from './random-vectors.js';

const DIM = 32;

describe('createHnswIndex', () => {
  it('finds an identical vector at similarity 1', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM });
    const vectors = Array.from({ length: 20 }, () => source.unit());
    vectors.forEach((v, i) => index.add(i + 100, v));

    const [best] = index.search(vectors[5] ?? new Float32Array(DIM), 1);

    expect(best?.label).toBe(105);
    expect(best?.similarity).toBeCloseTo(1, 5);
  });

  it('returns the same neighbours as the exact flat index on a small set', () => {
    const source = createVectorSource(DIM, 7);
    const hnsw = createHnswIndex({ dimension: DIM });
    const flat = createFlatIndex(DIM);
    for (let label = 0; label < 200; label++) {
      const v = source.unit();
      hnsw.add(label, v);
      flat.add(label, v);
    }
    for (let q = 0; q < 20; q++) {
      const query = source.unit();
      const approx = hnsw.search(query, 5);
      const exact = flat.search(query, 5);
      expect(approx.map((n) => n.label)).toEqual(exact.map((n) => n.label));
      approx.forEach((n, i) => expect(n.similarity).toBeCloseTo(exact[i]?.similarity ?? NaN, 5));
    }
  });

  it('sorts neighbours by similarity, highest first', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM });
    for (let label = 0; label < 50; label++) index.add(label, source.unit());

    const similarities = index.search(source.unit(), 10).map((n) => n.similarity);

    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    expect(similarities).toHaveLength(10);
  });

  it('grows past its initial capacity', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM, initialCapacity: 8 });
    const vectors = Array.from({ length: 100 }, () => source.unit());
    vectors.forEach((v, label) => index.add(label, v));

    expect(index.size).toBe(100);
    expect(index.search(vectors[99] ?? new Float32Array(DIM), 1)[0]?.label).toBe(99);
    expect(index.search(vectors[0] ?? new Float32Array(DIM), 1)[0]?.label).toBe(0);
  });

  it('never returns a removed label and counts only live ones', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM });
    const removed = source.unit();
    index.add(1, removed);
    index.add(2, source.unit());
    index.add(3, source.unit());

    index.remove(1);

    expect(index.size).toBe(2);
    expect(index.search(removed, 2).map((n) => n.label)).not.toContain(1);
  });

  it('ignores removal of an unknown label', () => {
    const index = createHnswIndex({ dimension: DIM });
    index.add(1, createVectorSource(DIM).unit());

    index.remove(42);
    index.remove(42);

    expect(index.size).toBe(1);
  });

  it('finds a label again after it was removed and re-added with a new vector', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM });
    for (let label = 0; label < 10; label++) index.add(label, source.unit());
    const fresh = source.unit();

    index.remove(4);
    index.add(4, fresh);

    expect(index.size).toBe(10);
    const [best] = index.search(fresh, 1);
    expect(best?.label).toBe(4);
    expect(best?.similarity).toBeCloseTo(1, 5);
  });

  it('reuses removed slots instead of growing when entries churn', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM, initialCapacity: 16 });
    for (let label = 0; label < 16; label++) index.add(label, source.unit());
    const bytesWhenFull = index.bytes;

    for (let label = 16; label < 200; label++) {
      index.remove(label - 16);
      index.add(label, source.unit());
    }

    expect(index.size).toBe(16);
    expect(index.bytes).toBe(bytesWhenFull);
    const last = source.unit();
    index.remove(199);
    index.add(500, last);
    expect(index.search(last, 1)[0]?.label).toBe(500);
  });

  it('replaces the vector when a live label is added again', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM });
    for (let label = 0; label < 10; label++) index.add(label, source.unit());
    const replacement = source.unit();

    index.add(3, replacement);

    expect(index.size).toBe(10);
    expect(index.search(replacement, 1)[0]).toEqual({ label: 3, similarity: expect.closeTo(1, 5) });
  });

  it('clamps k to the live count and returns nothing when empty', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM, initialCapacity: 4 });
    expect(index.search(source.unit(), 5)).toEqual([]);

    index.add(1, source.unit());
    index.add(2, source.unit());
    index.add(3, source.unit());
    index.remove(2);

    expect(
      index
        .search(source.unit(), 100)
        .map((n) => n.label)
        .sort(),
    ).toEqual([1, 3]);
  });

  it('estimates bytes from capacity, dimension and M', () => {
    const index = createHnswIndex({ dimension: DIM, initialCapacity: 8, m: 16 });
    expect(index.bytes).toBe(hnswBytes(8, 0, DIM, 16));

    const source = createVectorSource(DIM);
    for (let label = 0; label < 9; label++) index.add(label, source.unit());

    // 9 points in 8 slots doubled the capacity to 16.
    expect(index.bytes).toBe(hnswBytes(16, 9, DIM, 16));
    // 65536 * 40 fixed + 16 * (4*32 + 4*33 + 62) + round(9 * (68/15 + 120))
    expect(index.bytes).toBe(2_621_440 + 16 * 322 + 1121);
  });

  it('starts at the measured default efSearch and accepts a new one at run time', () => {
    const source = createVectorSource(DIM);
    const index = createHnswIndex({ dimension: DIM });
    const vector = source.unit();
    index.add(1, vector);
    expect(index.efSearch).toBe(DEFAULT_HNSW_EF_SEARCH);

    index.efSearch = 200;

    expect(index.efSearch).toBe(200);
    expect(index.search(vector, 1)[0]?.label).toBe(1);
  });
});
