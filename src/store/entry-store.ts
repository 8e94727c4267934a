// Entries in memory, bounded by count, bytes and age: the memory store, and the working set of the
// SQLite store. Recency is a Map's insertion order: a touch deletes and re-sets the entry, so the
// first key is always the least recently used and every operation is O(1) (except the sweeps, which
// visit each entry once).

export type EvictReason = 'ttl' | 'lru-entries' | 'lru-bytes' | 'deleted' | 'flushed';

export interface StoredEntry<T> {
  readonly id: number;
  /** The exact-tier key; at most one entry holds a given key. */
  readonly key: string;
  /** The semantic-tier partition the entry's vector lives in. */
  readonly partition: string;
  readonly bytes: number;
  readonly createdAt: number;
  /** Infinity when entries never expire. */
  readonly expiresAt: number;
  readonly lastUsedAt: number;
  readonly hits: number;
  readonly value: T;
}

// Only the store updates recency and hits; callers see the entry read-only.
type MutableEntry<T> = { -readonly [K in keyof StoredEntry<T>]: StoredEntry<T>[K] };

export interface EntryStoreOptions<T> {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** 0 means entries never expire. */
  readonly ttlMs: number;
  readonly now?: () => number;
  /** Called after every removal, whatever the cause, so the caller can drop the entry's vector. */
  readonly onEvict?: (entry: StoredEntry<T>, reason: EvictReason) => void;
}

export interface NewEntry<T> {
  readonly key: string;
  readonly partition: string;
  readonly bytes: number;
  readonly value: T;
  /** Times and hits an imported entry keeps (`semcache store import`); a new entry's start now. */
  readonly kept?: { readonly createdAt: number; readonly expiresAt: number; readonly lastUsedAt: number; readonly hits: number };
}

export interface GetOptions {
  /** Marks the entry most recently used and counts a hit. */
  readonly touch?: boolean;
}

export interface EntryStore<T> {
  /**
   * Stores a new entry under a new id. An entry already holding the same key is removed first
   * (reason 'deleted'): the newer response wins. Returns undefined, and stores nothing, when the
   * entry alone is larger than maxBytes: it could never fit, and evicting everything for it would
   * only empty the cache.
   */
  insert(entry: NewEntry<T>): StoredEntry<T> | undefined;
  /**
   * Puts back an entry read from a durable store, with its own id, times and hits. Bounds apply as
   * for insert (restore least recently used first, so the most recent are kept); an expired entry,
   * or one larger than maxBytes, is not kept. Later inserts get ids above every restored one.
   */
  restore(entry: StoredEntry<T>): boolean;
  getById(id: number, options?: GetOptions): StoredEntry<T> | undefined;
  getByKey(key: string, options?: GetOptions): StoredEntry<T> | undefined;
  delete(id: number): boolean;
  /** Removes every entry the predicate accepts (reason 'flushed'); returns how many. */
  deleteWhere(predicate: (entry: StoredEntry<T>) => boolean): number;
  /** Removes every entry (reason 'flushed'); returns how many. */
  clear(): number;
  /** Removes every expired entry (reason 'ttl'); returns how many. */
  sweepExpired(): number;
  readonly size: number;
  readonly bytes: number;
  /** Live and not-yet-swept entries, least recently used first. */
  entries(): IterableIterator<StoredEntry<T>>;
}

export function createEntryStore<T>(options: EntryStoreOptions<T>): EntryStore<T> {
  const { maxEntries, maxBytes, ttlMs, onEvict } = options;
  const now = options.now ?? Date.now;
  const byId = new Map<number, MutableEntry<T>>();
  const idByKey = new Map<string, number>();
  let nextId = 1;
  let totalBytes = 0;

  function evict(entry: MutableEntry<T>, reason: EvictReason): void {
    byId.delete(entry.id);
    if (idByKey.get(entry.key) === entry.id) idByKey.delete(entry.key);
    totalBytes -= entry.bytes;
    onEvict?.(entry, reason);
  }

  function evictLeastRecent(reason: EvictReason): void {
    const oldest = byId.values().next();
    if (!oldest.done) evict(oldest.value, reason);
  }

  function insert(input: NewEntry<T>): StoredEntry<T> | undefined {
    if (input.bytes > maxBytes) return undefined;
    const previous = idByKey.get(input.key);
    const replaced = previous === undefined ? undefined : byId.get(previous);
    if (replaced !== undefined) evict(replaced, 'deleted');

    const createdAt = now();
    const entry: MutableEntry<T> = {
      id: nextId++,
      key: input.key,
      partition: input.partition,
      bytes: input.bytes,
      createdAt,
      expiresAt: ttlMs > 0 ? createdAt + ttlMs : Infinity,
      lastUsedAt: createdAt,
      hits: 0,
      value: input.value,
      ...input.kept,
    };
    while (byId.size > 0 && byId.size >= maxEntries) evictLeastRecent('lru-entries');
    while (byId.size > 0 && totalBytes + entry.bytes > maxBytes) evictLeastRecent('lru-bytes');
    byId.set(entry.id, entry);
    idByKey.set(entry.key, entry.id);
    totalBytes += entry.bytes;
    return entry;
  }

  function restore(input: StoredEntry<T>): boolean {
    nextId = Math.max(nextId, input.id + 1);
    if (input.bytes > maxBytes || now() >= input.expiresAt) return false;
    const replaced = byId.get(input.id) ?? byId.get(idByKey.get(input.key) ?? -1);
    if (replaced !== undefined) evict(replaced, 'deleted');
    while (byId.size > 0 && byId.size >= maxEntries) evictLeastRecent('lru-entries');
    while (byId.size > 0 && totalBytes + input.bytes > maxBytes) evictLeastRecent('lru-bytes');
    const entry: MutableEntry<T> = { ...input };
    byId.set(entry.id, entry);
    idByKey.set(entry.key, entry.id);
    totalBytes += entry.bytes;
    return true;
  }

  function read(entry: MutableEntry<T> | undefined, options: GetOptions | undefined): StoredEntry<T> | undefined {
    if (entry === undefined) return undefined;
    const at = now();
    if (at >= entry.expiresAt) {
      evict(entry, 'ttl');
      return undefined;
    }
    if (options?.touch === true) {
      entry.lastUsedAt = at;
      entry.hits++;
      byId.delete(entry.id);
      byId.set(entry.id, entry);
    }
    return entry;
  }

  function removeWhere(predicate: (entry: StoredEntry<T>) => boolean, reason: EvictReason): number {
    let removed = 0;
    // Deleting the current key while iterating a Map is safe: iteration continues with the next one.
    for (const entry of byId.values()) {
      if (predicate(entry)) {
        evict(entry, reason);
        removed++;
      }
    }
    return removed;
  }

  return {
    insert,
    restore,
    getById: (id, getOptions) => read(byId.get(id), getOptions),
    getByKey(key, getOptions) {
      const id = idByKey.get(key);
      return id === undefined ? undefined : read(byId.get(id), getOptions);
    },
    delete(id) {
      const entry = byId.get(id);
      if (entry === undefined) return false;
      evict(entry, 'deleted');
      return true;
    },
    deleteWhere: (predicate) => removeWhere(predicate, 'flushed'),
    clear: () => removeWhere(() => true, 'flushed'),
    sweepExpired() {
      const at = now();
      return removeWhere((entry) => at >= entry.expiresAt, 'ttl');
    },
    get size() {
      return byId.size;
    },
    get bytes() {
      return totalBytes;
    },
    entries: () => byId.values(),
  };
}
