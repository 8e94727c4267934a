// Writes behind the memory working set of the SQLite store: every change (entry stored, used,
// removed; feedback block) is queued and written in one transaction a few milliseconds later, off the
// request path. A transaction is all or nothing, so a crash leaves each entry either whole or absent.
import type Database from 'better-sqlite3';
import type { StoredEntry } from './entry-store.js';

type Op<V> =
  | { readonly kind: 'insert'; readonly entry: StoredEntry<V>; readonly vector: Float32Array | undefined }
  | { readonly kind: 'delete'; readonly id: number }
  | { readonly kind: 'block'; readonly entryId: number; readonly promptHash: string };

export interface JournalStatus {
  /** Changes waiting to be written. */
  readonly pending: number;
  /** The last write's error, while writes fail. */
  readonly failing: string | undefined;
  readonly writeErrors: number;
}

export interface SqliteJournal<V> {
  inserted(entry: StoredEntry<V>, vector: Float32Array | undefined): void;
  deleted(id: number): void;
  used(entry: StoredEntry<V>): void;
  blocked(entryId: number, promptHash: string): void;
  /** Writes everything pending now. */
  flush(): void;
  status(): JournalStatus;
  /** Stops the timer and writes what is pending. */
  close(): void;
}

/** Past this many pending changes while writes fail, the oldest are dropped (and counted): the
 * process must not grow without bound because its disk does. */
const MAX_PENDING = 200_000;

export function vectorBlob(vector: Float32Array | undefined): Buffer | null {
  return vector === undefined ? null : Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function createSqliteJournal<V>(
  db: Database.Database,
  options: { flushMs: number; onError: (error: unknown) => void; onRecovered: () => void },
): SqliteJournal<V> {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO entries (id, key, partition, bytes, created_at, expires_at, last_used_at, hits, value, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM entries WHERE id = ?');
  const use = db.prepare('UPDATE entries SET hits = ?, last_used_at = ? WHERE id = ?');
  const block = db.prepare('INSERT OR IGNORE INTO blocks (entry_id, prompt_hash) SELECT id, ? FROM entries WHERE id = ?');
  let ops: Op<V>[] = [];
  // Uses are coalesced: only an entry's latest hit count and time matter.
  let uses = new Map<number, StoredEntry<V>>();
  let timer: NodeJS.Timeout | undefined;
  let failing: string | undefined;
  let writeErrors = 0;
  let closed = false;

  const write = db.transaction((batch: readonly Op<V>[], used: ReadonlyMap<number, StoredEntry<V>>) => {
    for (const op of batch) {
      if (op.kind === 'insert') {
        const e = op.entry;
        const expires = Number.isFinite(e.expiresAt) ? e.expiresAt : null;
        insert.run(e.id, e.key, e.partition, e.bytes, e.createdAt, expires, e.lastUsedAt, e.hits, JSON.stringify(e.value), vectorBlob(op.vector));
      } else if (op.kind === 'delete') remove.run(op.id);
      else block.run(op.promptHash, op.entryId);
    }
    for (const e of used.values()) use.run(e.hits, e.lastUsedAt, e.id);
  });

  function flush(): void {
    timer = undefined;
    if (ops.length === 0 && uses.size === 0) return;
    const [batch, used] = [ops, uses];
    ops = [];
    uses = new Map();
    try {
      write(batch, used);
      if (failing !== undefined) {
        failing = undefined;
        options.onRecovered();
      }
    } catch (error) {
      writeErrors++;
      if (failing === undefined) options.onError(error);
      failing = (error as Error).message;
      // Kept for the next attempt, newest last, within the bound.
      ops = [...batch, ...ops].slice(-MAX_PENDING);
      for (const [id, e] of used) if (!uses.has(id)) uses.set(id, e);
      schedule();
    }
  }

  function schedule(): void {
    timer ??= setTimeout(flush, options.flushMs);
    timer.unref();
  }

  const queue = (op: Op<V>): void => {
    if (closed) return;
    ops.push(op);
    schedule();
  };

  return {
    inserted: (entry, vector) => queue({ kind: 'insert', entry, vector }),
    deleted: (id) => queue({ kind: 'delete', id }),
    used(entry) {
      if (closed) return;
      uses.set(entry.id, entry);
      schedule();
    },
    blocked: (entryId, promptHash) => queue({ kind: 'block', entryId, promptHash }),
    flush,
    status: () => ({ pending: ops.length + uses.size, failing, writeErrors }),
    close() {
      if (timer !== undefined) clearTimeout(timer);
      flush();
      // Later changes (a request finishing after the store closed) are not written.
      closed = true;
    },
  };
}
