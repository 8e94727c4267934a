// The SQLite store (SEMCACHE_STORE=sqlite:PATH): the cache survives restarts. Entries are served from
// memory, exactly as the memory store serves them, and every change is written behind to the file
// (sqlite-journal.ts). On start the file's entries are loaded, least recently used first, expired
// ones dropped and the entry and byte bounds applied (what the bounds push out is deleted from the
// file too); their vectors go to the engine, which indexes them.
import type { LogSink } from '../logger.js';
import type { StoredEntry } from './entry-store.js';
import { createMemoryStore, type StoreLimits } from './memory-store.js';
import { createSqliteJournal } from './sqlite-journal.js';
import { openStoreFile, type BadFilePolicy } from './sqlite-file.js';
import type { Store, StoreChange } from './store.js';

export interface SqliteStoreOptions extends StoreLimits {
  readonly path: string;
  readonly onBadFile: BadFilePolicy;
  readonly logger: LogSink;
  readonly now?: (() => number) | undefined;
  /** How long a change may wait before it is written (a batch per interval). */
  readonly flushMs: number;
}

export interface SqliteStore<V> extends Store<V> {
  /** Writes every pending change now (tests, and `semcache store` commands). */
  flush(): void;
  /** Whether the file was closed cleanly by the process that had it before. */
  readonly cleanStart: boolean;
}

interface Row {
  id: number;
  key: string;
  partition: string;
  bytes: number;
  created_at: number;
  expires_at: number | null;
  last_used_at: number;
  hits: number;
  value: string;
  vector: Buffer | null;
}

export function vectorOf(blob: Buffer | null): Float32Array | undefined {
  if (blob === null) return undefined;
  // A copy: the blob's bytes need not be aligned for a Float32Array view.
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export function entryOf<V>(row: Row): StoredEntry<V> {
  return {
    id: row.id,
    key: row.key,
    partition: row.partition,
    bytes: row.bytes,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? Infinity,
    lastUsedAt: row.last_used_at,
    hits: row.hits,
    value: JSON.parse(row.value) as V,
  };
}

export function openSqliteStore<V>(options: SqliteStoreOptions): SqliteStore<V> {
  const file = openStoreFile(options.path, { onBadFile: options.onBadFile, logger: options.logger });
  const { db } = file;
  const now = options.now ?? Date.now;
  const memory = createMemoryStore<V>({ maxEntries: options.maxEntries, maxBytes: options.maxBytes, ttlMs: options.ttlMs, now });
  const journal = createSqliteJournal<V>(db, {
    flushMs: options.flushMs,
    onError: (error) => options.logger.error({ err: error, path: options.path }, 'cache file write failed: serving from memory, retrying'),
    onRecovered: () => options.logger.info({ path: options.path }, 'cache file writes recovered'),
  });
  let loading = false;

  // What the working set does is written behind: but not what loading it from the file does.
  void memory.subscribe((change: StoreChange<V>) => {
    if (change.kind === 'added') {
      if (!loading) journal.inserted(change.entry, change.vector);
    } else if (change.kind === 'removed') journal.deleted(change.id);
    else journal.blocked(change.entryId, change.promptHash);
  });

  function load(): void {
    db.prepare('DELETE FROM entries WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now());
    loading = true;
    try {
      for (const row of db.prepare('SELECT * FROM entries ORDER BY last_used_at, id').iterate() as IterableIterator<Row>) {
        memory.restore(entryOf<V>(row), vectorOf(row.vector));
      }
      for (const row of db.prepare('SELECT entry_id, prompt_hash FROM blocks').iterate() as IterableIterator<{ entry_id: number; prompt_hash: string }>) {
        memory.restoreBlock(row.entry_id, row.prompt_hash);
      }
    } finally {
      loading = false;
    }
    // Entries the bounds pushed out while loading were queued as deletes: written now.
    journal.flush();
  }

  const touched = (entry: StoredEntry<V> | undefined, touch: boolean | undefined): StoredEntry<V> | undefined => {
    if (entry !== undefined && touch === true) journal.used(entry);
    return entry;
  };

  return {
    kind: 'sqlite',
    cleanStart: file.cleanShutdown,
    async subscribe(listener) {
      await memory.subscribe(listener);
      load();
    },
    getByKey: async (key, get) => touched(await memory.getByKey(key, get), get?.touch),
    getById: async (id, get) => touched(await memory.getById(id, get), get?.touch),
    insert: (entry) => memory.insert(entry),
    delete: (id) => memory.delete(id),
    deleteWhere: (predicate) => memory.deleteWhere(predicate),
    clear: () => memory.clear(),
    sweepExpired: () => memory.sweepExpired(),
    list: (query, predicate) => memory.list(query, predicate),
    block: (entryId, promptHash) => memory.block(entryId, promptHash),
    isBlocked: (entryId, promptHash) => memory.isBlocked(entryId, promptHash),
    stats: () => memory.stats(),
    health() {
      const status = journal.status();
      return status.failing === undefined ? { state: 'ok' } : { state: 'degraded', detail: `cache file writes failing (${status.pending} pending): ${status.failing}` };
    },
    flush: () => journal.flush(),
    async close() {
      journal.close();
      file.close();
    },
  };
}

