// The memory store: entries in this process only, lost on restart (SEMCACHE_STORE=memory). Also the
// working set the SQLite store serves from.
import { createEntryStore, type StoredEntry } from './entry-store.js';
import { createFeedbackBlocks } from './feedback-blocks.js';
import type { ListQuery, Store, StoreChange } from './store.js';

export interface StoreLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** 0: entries never expire. */
  readonly ttlMs: number;
}

export interface MemoryStore<V> extends Store<V> {
  /** Puts back an entry read from a durable store (see EntryStore.restore), telling the listener. */
  restore(entry: StoredEntry<V>, vector: Float32Array | undefined): boolean;
  /** Puts back a feedback block read from a durable store. */
  restoreBlock(entryId: number, promptHash: string): void;
  /** Every entry, least recently used first. */
  entries(): IterableIterator<StoredEntry<V>>;
}

export function createMemoryStore<V>(options: StoreLimits & { now?: (() => number) | undefined }): MemoryStore<V> {
  const listeners: Array<(change: StoreChange<V>) => void> = [];
  const tell = (change: StoreChange<V>): void => {
    for (const listener of listeners) listener(change);
  };
  const blocks = createFeedbackBlocks();
  const entries = createEntryStore<V>({
    ...options,
    onEvict(entry, reason) {
      blocks.forget(entry.id);
      tell({ kind: 'removed', id: entry.id, partition: entry.partition, reason });
    },
  });

  function list(query: ListQuery, predicate: (entry: StoredEntry<V>) => boolean): StoredEntry<V>[] {
    const found: StoredEntry<V>[] = [];
    for (const entry of entries.entries()) {
      if (query.before !== undefined && entry.id >= query.before) continue;
      if (predicate(entry)) found.push(entry);
    }
    return found.sort((a, b) => b.id - a.id).slice(0, query.limit);
  }

  return {
    kind: 'memory',
    remote: false,
    likelyHolds: (key) => entries.getByKey(key) !== undefined,
    async subscribe(listener) {
      listeners.push(listener);
    },
    getByKey: async (key, get) => entries.getByKey(key, get),
    getById: async (id, get) => entries.getById(id, get),
    use: (entry) => entries.getById(entry.id, { touch: true }) ?? entry,
    insert(input) {
      const entry = entries.insert(input);
      if (entry !== undefined) tell({ kind: 'added', entry, vector: input.vector });
      return entry;
    },
    restore(entry, vector) {
      const kept = entries.restore(entry);
      if (kept) tell({ kind: 'added', entry, vector });
      return kept;
    },
    restoreBlock: (entryId, promptHash) => blocks.block(entryId, promptHash),
    delete: async (id) => entries.delete(id),
    deleteWhere: async (predicate) => entries.deleteWhere(predicate),
    clear: async () => entries.clear(),
    sweepExpired: async () => entries.sweepExpired(),
    list: async (query, predicate) => list(query, predicate),
    async block(entryId, promptHash) {
      if (entries.getById(entryId) === undefined) return;
      blocks.block(entryId, promptHash);
      tell({ kind: 'blocked', entryId, promptHash });
    },
    isBlocked: (entryId, promptHash) => blocks.isBlocked(entryId, promptHash),
    stats: () => ({ entries: entries.size, bytes: entries.bytes, blocks: blocks.size }),
    health: () => ({ state: 'ok' }),
    entries: () => entries.entries(),
    async close() {},
  };
}
