import { describe, it, expect } from 'vitest';
import { createSemanticTier } from '../../src/cache/semantic-tier.js';
import { createFlatIndex } from '../../src/index/flat-index.js';
import type { VectorIndex } from '../../src/index/vector-index.js';
import { createVectorSource } from '../index/random-vectors.js';

const DIM = 16;

describe('createSemanticTier', () => {
  it('never returns an entry of another partition, even for the identical vector', () => {
    const source = createVectorSource(DIM);
    const tier = createSemanticTier({ dimension: DIM });
    const vector = source.unit();
    tier.add('tenant-a', 1, vector);

    expect(tier.search('tenant-b', vector, 5)).toEqual([]);
    tier.add('tenant-b', 2, source.unit());
    expect(tier.search('tenant-b', vector, 5).map((n) => n.label)).toEqual([2]);
    expect(tier.search('tenant-a', vector, 5)).toEqual([{ label: 1, similarity: expect.closeTo(1, 5) }]);
  });

  it('promotes a partition exactly when it reaches promoteAt, copying every vector', () => {
    const source = createVectorSource(DIM, 3);
    const created: VectorIndex[] = [];
    const tier = createSemanticTier({
      dimension: DIM,
      promoteAt: 8,
      createIndex: (d) => {
        const index = createFlatIndex(d);
        created.push(index);
        return index;
      },
    });
    for (let label = 0; label < 7; label++) tier.add('p', label, source.unit());
    expect(created).toHaveLength(0);

    tier.add('p', 7, source.unit());
    tier.add('p', 8, source.unit());

    expect(created).toHaveLength(1);
    expect(created[0]?.size).toBe(9);
  });

  it('returns the exact neighbours after promotion to HNSW', () => {
    const source = createVectorSource(DIM, 9);
    const tier = createSemanticTier({ dimension: DIM, promoteAt: 8 });
    const reference = createFlatIndex(DIM);
    for (let label = 0; label < 30; label++) {
      const vector = source.unit();
      tier.add('p', label, vector);
      reference.add(label, vector);
    }

    for (let q = 0; q < 10; q++) {
      const query = source.unit();
      expect(tier.search('p', query, 3).map((n) => n.label)).toEqual(reference.search(query, 3).map((n) => n.label));
    }
  });

  it('promotes to a real HNSW index that still finds every stored vector', () => {
    const source = createVectorSource(DIM, 5);
    const tier = createSemanticTier({ dimension: DIM, promoteAt: 32 });
    const vectors = Array.from({ length: 40 }, () => source.unit());
    vectors.forEach((v, label) => tier.add('p', label, v));

    for (const [label, vector] of vectors.entries()) {
      expect(tier.search('p', vector, 1)[0]?.label).toBe(label);
    }
    expect(tier.size).toBe(40);
  });

  it('drops a partition once its last vector is removed', () => {
    const source = createVectorSource(DIM);
    const tier = createSemanticTier({ dimension: DIM });
    tier.add('a', 1, source.unit());
    tier.add('a', 2, source.unit());
    tier.add('b', 3, source.unit());

    tier.remove('a', 1);
    expect(tier.partitions).toBe(2);
    tier.remove('a', 2);

    expect(tier.partitions).toBe(1);
    expect(tier.size).toBe(1);
  });

  it('drops a promoted partition once it is empty', () => {
    const source = createVectorSource(DIM);
    const tier = createSemanticTier({ dimension: DIM, promoteAt: 4 });
    for (let label = 0; label < 5; label++) tier.add('p', label, source.unit());

    for (let label = 0; label < 5; label++) tier.remove('p', label);

    expect(tier.partitions).toBe(0);
    expect(tier.size).toBe(0);
    expect(tier.bytes).toBe(0);
  });

  it('ignores removal from an unknown partition or of a label the partition lacks', () => {
    const source = createVectorSource(DIM);
    const tier = createSemanticTier({ dimension: DIM });
    tier.add('a', 1, source.unit());

    tier.remove('b', 1);
    tier.remove('a', 2);

    expect(tier.size).toBe(1);
    expect(tier.partitions).toBe(1);
  });

  it('counts live vectors across partitions without double-counting a re-added label', () => {
    const source = createVectorSource(DIM);
    const tier = createSemanticTier({ dimension: DIM });
    tier.add('a', 1, source.unit());
    tier.add('a', 1, source.unit());
    tier.add('b', 2, source.unit());

    expect(tier.size).toBe(2);
    expect(tier.bytes).toBeGreaterThan(2 * DIM * 4);
  });

  it('forgets everything on clear', () => {
    const source = createVectorSource(DIM);
    const tier = createSemanticTier({ dimension: DIM });
    const vector = source.unit();
    tier.add('a', 1, vector);
    tier.add('b', 2, source.unit());

    tier.clear();

    expect(tier.size).toBe(0);
    expect(tier.partitions).toBe(0);
    expect(tier.search('a', vector, 1)).toEqual([]);
  });
});
