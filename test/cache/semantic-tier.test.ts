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

describe('promotion in slices', () => {
  const promoted = (tier: ReturnType<typeof createSemanticTier>): string[] => [...tier.promoted()].map(([key]) => key);

  async function untilPromoted(tier: ReturnType<typeof createSemanticTier>, key: string): Promise<number> {
    let turns = 0;
    while (!promoted(tier).includes(key)) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      turns++;
    }
    return turns;
  }

  it('builds the graph over several turns while the flat index answers, exactly, meanwhile', async () => {
    const source = createVectorSource(DIM, 21);
    const tier = createSemanticTier({ dimension: DIM, promoteAt: 40, promoteSliceMs: 0 });
    const reference = createFlatIndex(DIM);
    const vectors = Array.from({ length: 40 }, () => source.unit());
    vectors.forEach((vector, label) => {
      tier.add('p', label, vector);
      reference.add(label, vector);
    });

    const whileBuilding = promoted(tier);
    const query = source.unit();
    const answered = tier.search('p', query, 5);
    const turns = await untilPromoted(tier, 'p');

    expect(whileBuilding).toEqual([]);
    expect(answered).toEqual(reference.search(query, 5));
    expect(turns).toBeGreaterThan(1);
    expect(tier.size).toBe(40);
    vectors.forEach((vector, label) => expect(tier.search('p', vector, 1)[0]?.label).toBe(label));
  });

  it('takes in the vectors added, replaced and removed while it builds', async () => {
    const source = createVectorSource(DIM, 22);
    const tier = createSemanticTier({ dimension: DIM, promoteAt: 30, promoteSliceMs: 0 });
    const vectors = Array.from({ length: 30 }, () => source.unit());
    vectors.forEach((vector, label) => tier.add('p', label, vector));
    const late = source.unit();
    const moved = source.unit();

    tier.add('p', 100, late);
    tier.add('p', 29, moved); // replaces a vector the build has not reached yet
    tier.remove('p', 28);
    tier.remove('p', 0);
    await untilPromoted(tier, 'p');

    expect(tier.size).toBe(29);
    expect(tier.has('p', 28) || tier.has('p', 0)).toBe(false);
    expect(tier.search('p', late, 1)[0]?.label).toBe(100);
    expect(tier.search('p', moved, 1)[0]?.label).toBe(29);
    expect(tier.search('p', vectors[28] ?? late, 1)[0]?.label).not.toBe(28);
    expect(tier.search('p', vectors[5] ?? late, 1)[0]?.label).toBe(5);
  });

  it('stops building a partition that was cleared, and counts the graph being built in bytes', async () => {
    const source = createVectorSource(DIM, 23);
    const tier = createSemanticTier({ dimension: DIM, promoteAt: 20, promoteSliceMs: 0 });
    for (let label = 0; label < 19; label++) tier.add('p', label, source.unit());
    const flatBytes = tier.bytes;
    tier.add('p', 19, source.unit());
    const buildingBytes = tier.bytes;

    tier.clear();
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(buildingBytes).toBeGreaterThan(flatBytes + 65_536 * 40);
    expect(tier.partitions).toBe(0);
    expect(promoted(tier)).toEqual([]);
  });
});
