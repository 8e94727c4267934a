import { describe, it, expect } from 'vitest';
import { createFlatIndex } from '../../src/index/flat-index.js';
import { createVectorSource, dot } from './random-vectors.js';

const DIM = 16;

describe('createFlatIndex', () => {
  it('returns the exact top k by inner product, most similar first', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    const vectors = Array.from({ length: 50 }, () => source.unit());
    vectors.forEach((v, label) => index.add(label, v));
    const query = source.unit();

    const expected = vectors
      .map((v, label) => ({ label, similarity: dot(v, query) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 5);
    const found = index.search(query, 5);

    expect(found.map((n) => n.label)).toEqual(expected.map((n) => n.label));
    found.forEach((n, i) => expect(n.similarity).toBeCloseTo(expected[i]?.similarity ?? NaN, 5));
  });

  it('scores an identical vector at similarity 1', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    const vector = source.unit();
    index.add(7, vector);
    index.add(8, source.unit());

    const [best] = index.search(vector, 1);

    expect(best?.label).toBe(7);
    expect(best?.similarity).toBeCloseTo(1, 5);
  });

  it('forgets a removed label and keeps the others findable', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    const vectors = [source.unit(), source.unit(), source.unit()];
    vectors.forEach((v, label) => index.add(label, v));

    index.remove(0);

    expect(index.size).toBe(2);
    expect(index.search(vectors[0] ?? new Float32Array(DIM), 3).map((n) => n.label)).not.toContain(0);
    expect(index.search(vectors[2] ?? new Float32Array(DIM), 1)[0]?.label).toBe(2);
  });

  it('ignores removal of an unknown label', () => {
    const index = createFlatIndex(DIM);
    index.add(1, createVectorSource(DIM).unit());

    index.remove(99);

    expect(index.size).toBe(1);
  });

  it('replaces the vector when a label is added twice', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    const first = source.unit();
    const second = source.unit();
    index.add(1, first);
    index.add(1, second);

    expect(index.size).toBe(1);
    expect(index.search(second, 1)[0]?.similarity).toBeCloseTo(1, 5);
  });

  it('grows past its initial buffer', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    const vectors = Array.from({ length: 100 }, () => source.unit());
    vectors.forEach((v, label) => index.add(label, v));

    expect(index.size).toBe(100);
    expect(index.search(vectors[99] ?? new Float32Array(DIM), 1)[0]?.label).toBe(99);
  });

  it('clamps k to the number of stored vectors and returns nothing when empty', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    expect(index.search(source.unit(), 3)).toEqual([]);

    index.add(1, source.unit());
    index.add(2, source.unit());

    expect(index.search(source.unit(), 10)).toHaveLength(2);
  });

  it('lists its entries with their vectors', () => {
    const source = createVectorSource(DIM);
    const index = createFlatIndex(DIM);
    const a = source.unit();
    const b = source.unit();
    index.add(10, a);
    index.add(20, b);

    const entries = [...index.entries()];

    expect(entries.map(([label]) => label)).toEqual([10, 20]);
    expect([...(entries[1]?.[1] ?? [])]).toEqual([...b]);
  });

  it('rejects a vector of the wrong dimension', () => {
    const index = createFlatIndex(DIM);
    expect(() => index.add(1, new Float32Array(DIM + 1))).toThrow(/dimension 17, the index expects 16/);
  });
});
