// The SQLite store (SEMCACHE_STORE=sqlite:PATH): the cache survives restarts. Entries are served from
// memory, exactly as the memory store serves them, and every change is written behind to the file
// (sqlite-journal.ts). On start the file's entries are loaded, least recently used first, expired
// ones dropped and the entry and byte bounds applied (what the bounds push out is deleted from the
// file too); their vectors go to the engine, which indexes them.
import type { LogSink } from '../logger.js';
import type { StoredEntry } from './entry-store.js';
import type Database from 'better-sqlite3';
import { createMemoryStore, type MemoryStore, type StoreLimits } from './memory-store.js';
import { createSqliteJournal } from './sqlite-journal.js';
import { moveAside, openStoreFile, StoreFileError, type BadFilePolicy, type OpenedFile } from './sqlite-file.js';
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
  // A blob that is not whole floats is damage: the entry keeps serving exact hits (verify reports it).
  if (blob === null || blob.byteLength % 4 !== 0) return undefined;
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

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

/** Reads the file's live entries and blocks into the working set, least recently used first. */
function loadEntries<V>(db: Database.Database, memory: MemoryStore<V>, path: string, now: number): void {
  try {
    db.prepare('DELETE FROM entries WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
    const rows = db.prepare('SELECT id, key, partition, bytes, created_at, expires_at, last_used_at, hits, value FROM entries ORDER BY last_used_at, id');
    for (const row of rows.iterate() as IterableIterator<Row>) memory.restore(entryOf<V>(row), undefined);
    for (const row of db.prepare('SELECT entry_id, prompt_hash FROM blocks').iterate() as IterableIterator<{ entry_id: number; prompt_hash: string }>) {
      memory.restoreBlock(row.entry_id, row.prompt_hash);
    }
  } catch (error) {
    if (isCorruption(error)) throw new StoreFileError(path, 'is corrupt', { cause: error });
    throw error;
  }
}

function openLoaded<V>(options: SqliteStoreOptions, memory: MemoryStore<V>): OpenedFile {
  const open = (): OpenedFile => {
    const file = openStoreFile(options.path);
    try {
      loadEntries(file.db, memory, options.path, (options.now ?? Date.now)());
      return file;
    } catch (error) {
      file.abandon();
      throw error;
    }
  };
  try {
    return open();
  } catch (error) {
    if (!(error instanceof StoreFileError) || !error.badContent || options.onBadFile !== 'move-aside') throw error;
    void memory.clear();
    const aside = moveAside(options.path);
    options.logger.error({ path: options.path, movedTo: aside, problem: error.message }, 'cache file unusable: moved aside, starting empty');
    return open();
  }
}

export function openSqliteStore<V>(options: SqliteStoreOptions): SqliteStore<V> {
  const now = options.now ?? Date.now;
  const memory = createMemoryStore<V>({ maxEntries: options.maxEntries, maxBytes: options.maxBytes, ttlMs: options.ttlMs, now });
  const file = openLoaded(options, memory);
  const { db } = file;
  const journal = createSqliteJournal<V>(db, {
    flushMs: options.flushMs,
    onError: (error) => options.logger.error({ err: error, path: options.path }, 'cache file write failed: serving from memory, retrying'),
    onRecovered: () => options.logger.info({ path: options.path }, 'cache file writes recovered'),
  });
  // Entries the bounds pushed out while loading are deleted from the file too.
  const loadedIds = new Set<number>();
  for (const entry of memory.entries()) loadedIds.add(entry.id);
  const pushedOut = db.prepare('SELECT id FROM entries').pluck().all() as number[];
  for (const id of pushedOut) if (!loadedIds.has(id)) journal.deleted(id);
  journal.flush();

  // From now on what the working set does is written behind.
  void memory.subscribe((change: StoreChange<V>) => {
    if (change.kind === 'added') journal.inserted(change.entry, change.vector);
    else if (change.kind === 'removed') journal.deleted(change.id);
    else journal.blocked(change.entryId, change.promptHash);
  });

  const vectorById = db.prepare('SELECT vector FROM entries WHERE id = ?').pluck();

  const touched = (entry: StoredEntry<V> | undefined, touch: boolean | undefined): StoredEntry<V> | undefined => {
    if (entry !== undefined && touch === true) journal.used(entry);
    return entry;
  };

  return {
    kind: 'sqlite',
    remote: false,
    likelyHolds: (key) => memory.likelyHolds(key),
    cleanStart: file.cleanShutdown,
    async subscribe(listener, subscribeOptions = {}) {
      const needsVector = subscribeOptions.needsVector ?? (() => true);
      for (const entry of [...memory.entries()]) {
        const vector = needsVector(entry.id, entry.partition) ? vectorOf((vectorById.get(entry.id) as Buffer | null | undefined) ?? null) : undefined;
        listener({ kind: 'added', entry, vector });
      }
      await memory.subscribe(listener);
    },
    getByKey: async (key, get) => touched(await memory.getByKey(key, get), get?.touch),
    getById: async (id, get) => touched(await memory.getById(id, get), get?.touch),
    use: (entry) => touched(memory.use(entry), true) ?? entry,
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
      const figures = { writeErrors: status.writeErrors };
      return status.failing === undefined
        ? { state: 'ok', ...figures }
        : { state: 'degraded', detail: `cache file writes failing (${status.pending} pending): ${status.failing}`, ...figures };
    },
    flush: () => journal.flush(),
    async close() {
      journal.close();
      file.close();
    },
  };
}
