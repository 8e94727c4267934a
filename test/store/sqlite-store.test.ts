// The SQLite store on real files: what survives a restart and a crash, bounds and expiry applied on
// load, files created private, and every kind of bad file refused with one error naming it.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreFileError } from '../../src/store/sqlite-file.js';
import { openSqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite-store.js';
import type { StoreChange } from '../../src/store/store.js';
import { contractEntry as entry, silentLog, type Value } from './store-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'semcache-sqlite-'));
  dirs.push(dir);
  return join(dir, 'data', 'cache.db');
}

function options(path: string, extra: Partial<SqliteStoreOptions> = {}): SqliteStoreOptions {
  return { path, maxEntries: 100, maxBytes: 1_000_000, ttlMs: 0, onBadFile: 'fail', logger: silentLog(), flushMs: 5, ...extra };
}

async function reopened(path: string, extra: Partial<SqliteStoreOptions> = {}) {
  const store = openSqliteStore<Value>(options(path, extra));
  const changes: StoreChange<Value>[] = [];
  await store.subscribe((change) => changes.push(change));
  return { store, changes };
}

describe('the SQLite store across restarts', () => {
  it('gives back entries, their vectors, hits and blocks after a clean close', async () => {
    const path = tempPath();
    const clock = { now: 1_000 };
    const first = await reopened(path, { now: () => clock.now });
    const a = first.store.insert(entry('a', 'alpha', [0.6, 0.8]));
    first.store.insert(entry('b', 'beta'));
    clock.now += 10;
    await first.store.getByKey('a', { touch: true });
    await first.store.getByKey('a', { touch: true });
    await first.store.block(a?.id ?? -1, 'wrong-prompt');
    await first.store.close();

    const second = await reopened(path, { now: () => clock.now });
    expect(second.store.cleanStart).toBe(true);
    const back = await second.store.getByKey('a');
    expect(back).toMatchObject({ id: a?.id, hits: 2, value: { text: 'alpha', tenant: 't1' } });
    expect(second.store.isBlocked(a?.id ?? -1, 'wrong-prompt')).toBe(true);
    // Least recently used first: a was used after b was stored.
    const added = second.changes.filter((c) => c.kind === 'added');
    expect(added.map((c) => (c.kind === 'added' ? c.entry.key : ''))).toEqual(['b', 'a']);
    expect(added.find((c) => c.kind === 'added' && c.entry.key === 'a')).toMatchObject({ vector: Float32Array.from([0.6, 0.8]) });
    expect(added.find((c) => c.kind === 'added' && c.entry.key === 'b')).toMatchObject({ vector: undefined });
    // New ids continue above the old ones.
    expect(second.store.insert(entry('c', 'gamma'))?.id).toBeGreaterThan(a?.id ?? Infinity);
    await second.store.close();
  });

  it('keeps what was written before a crash, and checks the file after it', async () => {
    const path = tempPath();
    const crashed = await reopened(path);
    crashed.store.insert(entry('written', 'before the crash'));
    crashed.store.flush();
    crashed.store.insert(entry('pending', 'never written'));
    // No close: the process "dies" with the second entry still queued and the file marked in use.
    const after = await reopened(path);
    expect(after.store.cleanStart).toBe(false);
    expect((await after.store.getByKey('written'))?.value.text).toBe('before the crash');
    expect(await after.store.getByKey('pending')).toBeUndefined();
    await after.store.close();
  });

  it('sends only the vectors the engine says it lacks', async () => {
    const path = tempPath();
    const first = await reopened(path);
    const a = first.store.insert(entry('a', 'alpha', [1, 0]));
    first.store.insert(entry('b', 'beta', [0, 1]));
    await first.store.close();
    const store = openSqliteStore<Value>(options(path));
    const vectors: Array<[string, Float32Array | undefined]> = [];
    await store.subscribe((c) => void (c.kind === 'added' && vectors.push([c.entry.key, c.vector])), { needsVector: (id) => id !== a?.id });
    expect(vectors).toEqual([
      ['a', undefined],
      ['b', Float32Array.from([0, 1])],
    ]);
    await store.close();
  });

  it('drops expired entries on load, and applies the bounds, deleting what they push out from the file', async () => {
    const path = tempPath();
    const clock = { now: 10_000 };
    const first = await reopened(path, { ttlMs: 1_000, now: () => clock.now });
    first.store.insert(entry('old', 'expires first'));
    clock.now += 600;
    for (const key of ['x', 'y', 'z']) first.store.insert(entry(key, key));
    await first.store.close();

    clock.now += 500; // 'old' expired, x/y/z live
    const bounded = await reopened(path, { ttlMs: 1_000, now: () => clock.now, maxEntries: 2 });
    expect(bounded.store.stats().entries).toBe(2);
    expect(await bounded.store.getByKey('old')).toBeUndefined();
    expect(await bounded.store.getByKey('x')).toBeUndefined();
    expect((await bounded.store.getByKey('z'))?.value.text).toBe('z');
    await bounded.store.close();
    const rows = new Database(path, { readonly: true }).prepare('SELECT key FROM entries ORDER BY key').pluck().all();
    expect(rows).toEqual(['y', 'z']);
  });

  it('writes deletes, flushes and clears through', async () => {
    const path = tempPath();
    const first = await reopened(path);
    const a = first.store.insert(entry('a', 'a'));
    first.store.insert(entry('b', 'b', undefined, 't2'));
    first.store.insert(entry('c', 'c'));
    await first.store.delete(a?.id ?? -1);
    await first.store.deleteWhere((e) => e.value.tenant === 't2');
    await first.store.close();
    const second = await reopened(path);
    expect([...(await second.store.list({ limit: 10 }, () => true))].map((e) => e.key)).toEqual(['c']);
    await second.store.clear();
    await second.store.close();
    expect((await reopened(path)).store.stats().entries).toBe(0);
  });

  it('creates its folder 0700 and its files 0600', async () => {
    const path = tempPath();
    const { store } = await reopened(path);
    store.insert(entry('a', 'a'));
    store.flush();
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(join(path, '..'))) expect([name, statSync(join(path, '..', name)).mode & 0o777]).toEqual([name, 0o600]);
    await store.close();
  });
});

describe('bad cache files', () => {
  async function refusal(path: string): Promise<StoreFileError> {
    try {
      await reopened(path);
    } catch (error) {
      expect(error).toBeInstanceOf(StoreFileError);
      return error as StoreFileError;
    }
    throw new Error('the file was accepted');
  }

  it('refuses a file that is not a SQLite database, naming it', async () => {
    const path = tempPath();
    (await reopened(path)).store.close();
    writeFileSync(path, 'this is a text file, not a cache\n'.repeat(200));
    rmSync(`${path}.lock`, { force: true });
    const error = await refusal(path);
    expect(error.message).toBe(`${path}: is not a SQLite database`);
  });

  it("refuses another application's SQLite database", async () => {
    const path = tempPath();
    (await reopened(path)).store.close();
    rmSync(path);
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    other.close();
    expect((await refusal(path)).message).toBe(`${path}: is a SQLite database but not a semcache cache (no semcache_meta table)`);
  });

  it('refuses a newer schema version, and keeps the file as it was', async () => {
    const path = tempPath();
    await (await reopened(path)).store.close();
    const db = new Database(path);
    db.prepare("UPDATE semcache_meta SET value = '99' WHERE name = 'schema_version'").run();
    db.close();
    expect((await refusal(path)).message).toContain('has schema version 99, newer than this semcache reads (1)');
    expect(new Database(path, { readonly: true }).prepare("SELECT value FROM semcache_meta WHERE name = 'schema_version'").pluck().get()).toBe('99');
  });

  it('finds a corrupt file after a crash', async () => {
    const path = tempPath();
    const { store } = await reopened(path);
    for (let i = 0; i < 200; i++) store.insert(entry(`k${i}`, `text ${i} `.repeat(20)));
    await store.close();
    const db = new Database(path);
    db.prepare("UPDATE semcache_meta SET value = '0' WHERE name = 'clean_shutdown'").run();
    db.close();
    // Overwrite pages in the middle of the file (the entries' b-tree).
    const size = statSync(path).size;
    const bytes = Buffer.alloc(8192, 0x5a);
    const fd = (await import('node:fs')).openSync(path, 'r+');
    (await import('node:fs')).writeSync(fd, bytes, 0, bytes.length, Math.floor(size / 2 / 4096) * 4096);
    (await import('node:fs')).closeSync(fd);
    expect((await refusal(path)).message).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}: is corrupt`));
  });

  it('moves a bad file aside and starts empty when asked to', async () => {
    const path = tempPath();
    (await reopened(path)).store.close();
    writeFileSync(path, 'garbage'.repeat(1000));
    const log = silentLog();
    const { store } = await reopened(path, { onBadFile: 'move-aside', logger: log });
    expect(store.stats().entries).toBe(0);
    store.insert(entry('fresh', 'after the move'));
    await store.close();
    const aside = readdirSync(join(path, '..')).filter((name) => name.startsWith('cache.db.bad-'));
    expect(aside).toHaveLength(1);
    expect(log.lines.map((l) => l.message)).toContain('cache file unusable: moved aside, starting empty');
    expect((await (await reopened(path)).store.getByKey('fresh'))?.value.text).toBe('after the move');
  });

  it('refuses a file another live semcache process holds, and never moves it', async () => {
    const path = tempPath();
    (await reopened(path)).store.close();
    // PID 1 is alive on every machine and is not this process.
    writeFileSync(`${path}.lock`, '1');
    const error = await refusal(path);
    expect(error.message).toContain('is in use by another semcache process (pid 1');
    await expect(reopened(path, { onBadFile: 'move-aside' })).rejects.toThrow('is in use by another semcache process');
    expect(existsSync(path)).toBe(true);
  });

  it('takes over the lock of a process that is gone', async () => {
    const path = tempPath();
    (await reopened(path)).store.close();
    writeFileSync(`${path}.lock`, '999999999');
    const { store } = await reopened(path);
    expect(store.stats().entries).toBe(0);
    await store.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
