import { describe, expect, it } from 'vitest';
import type { EntryValue } from '../../src/cache/cache-engine.js';
import { createIndexFollower } from '../../src/cache/index-follower.js';
import { createSemanticTier } from '../../src/cache/semantic-tier.js';
import type { StoreChange } from '../../src/store/store.js';
import type { StoredEntry } from '../../src/store/entry-store.js';
import { createVectorSource } from '../index/random-vectors.js';

const DIM = 16;
const embedder = { modelId: 'test-16', dimension: DIM };
const source = createVectorSource(DIM, 5);

function added(id: number, vector: Float32Array, partition = 'p'): StoreChange<EntryValue> {
  const value = { text: `prompt ${id}`, tenant: 't', model: 'm', embedderId: embedder.modelId, hasVector: true } as EntryValue;
  const entry: StoredEntry<EntryValue> = { id, key: `k${id}`, partition, bytes: 1, createdAt: 0, expiresAt: Infinity, lastUsedAt: 0, hits: 0, value };
  return { kind: 'added', entry, vector };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the index following the store', () => {
  it('indexes a new entry once the turn that stored it ends, not while storing it', async () => {
    const semantic = createSemanticTier({ dimension: DIM });
    const follower = createIndexFollower({ semantic, embedder });

    follower.follow(added(1, source.unit()));
    follower.follow(added(2, source.unit()));
    const whileStoring = semantic.size;
    await nextTurn();

    expect(whileStoring).toBe(0);
    expect(semantic.size).toBe(2);
    expect(semantic.has('p', 1) && semantic.has('p', 2)).toBe(true);
    expect(follower.lag).toBe(0);
  });

  it('indexes the waiting entries at once when a search comes first', () => {
    const semantic = createSemanticTier({ dimension: DIM });
    const follower = createIndexFollower({ semantic, embedder });
    const vector = source.unit();

    follower.follow(added(7, vector));
    follower.catchUp();

    expect(semantic.search('p', vector, 1)[0]?.label).toBe(7);
  });

  it('never indexes an entry removed before its turn ended, and reports the eviction', async () => {
    const semantic = createSemanticTier({ dimension: DIM });
    const reasons: string[] = [];
    const follower = createIndexFollower({ semantic, embedder, onEvict: (reason) => reasons.push(reason) });

    follower.follow(added(3, source.unit()));
    follower.follow({ kind: 'removed', id: 3, partition: 'p', reason: 'lru-entries' });
    await nextTurn();
    follower.catchUp();

    expect(semantic.has('p', 3)).toBe(false);
    expect(semantic.size).toBe(0);
    expect(reasons).toEqual(['lru-entries']);
  });

  it('leaves out vectors of another embedding model or dimension, and entries without one', async () => {
    const semantic = createSemanticTier({ dimension: DIM });
    const follower = createIndexFollower({ semantic, embedder });
    const other = added(4, source.unit());
    if (other.kind !== 'added') throw new Error('unreachable');

    follower.follow({ ...other, entry: { ...other.entry, value: { ...other.entry.value, embedderId: 'another-model' } } });
    follower.follow(added(5, new Float32Array(DIM * 2)));
    follower.follow({ ...added(6, source.unit()), vector: undefined } as StoreChange<EntryValue>);
    await nextTurn();

    expect(semantic.size).toBe(0);
  });

  it('queues what the store loads and the saved index lacks, and drops what the index holds and the store lost', async () => {
    // Promoted at once, as a partition read back from a saved index is.
    const semantic = createSemanticTier({ dimension: DIM, promoteAt: 1 });
    const kept = source.unit();
    semantic.add('p', 10, kept);
    semantic.add('p', 11, source.unit()); // saved, then deleted from the store
    const follower = createIndexFollower({ semantic, embedder });

    await follower.load(async (listener) => {
      listener(added(10, kept));
      listener(added(12, source.unit()));
      listener(added(13, source.unit()));
    });
    const lagAfterLoad = follower.lag;
    while (follower.lag > 0) await new Promise((resolve) => setTimeout(resolve, 2));

    expect(lagAfterLoad).toBe(2);
    expect(semantic.has('p', 11)).toBe(false);
    expect([10, 12, 13].map((id) => semantic.has('p', id))).toEqual([true, true, true]);
  });
});
