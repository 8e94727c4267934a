// What every store promises the cache engine, checked on each kind: the memory store, the SQLite
// store on a real file (better-sqlite3, a temporary folder), and the Redis store on a real Redis
// (each test under a prefix of its own). Entry and byte bounds and a test clock are not the Redis
// store's: there Redis expires and evicts entries itself (maxmemory), so those tests skip it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type StoreLimits } from '../../src/store/memory-store.js';
import { openRedisStore } from '../../src/store/redis/redis-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store, StoreChange } from '../../src/store/store.js';
import { dropPrefix, sharedRedisReachable, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { contractEntry as entry, silentLog, type Value } from './store-fixtures.js';

const dirs: string[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const prefix of prefixes.splice(0)) await dropPrefix(TEST_REDIS_URL, prefix);
});

type Factory = (limits: StoreLimits & { now?: () => number }) => Store<Value> | Promise<Store<Value>>;
const redisUp = await sharedRedisReachable();

const kinds: Array<[string, Factory]> = [
  ['memory', (limits) => createMemoryStore<Value>(limits)],
  [
    'sqlite',
    (limits) => {
      const dir = mkdtempSync(join(tmpdir(), 'semcache-contract-'));
      dirs.push(dir);
      return openSqliteStore<Value>({ ...limits, path: join(dir, 'cache.db'), onBadFile: 'fail', logger: silentLog(), flushMs: 5 });
    },
  ],
  ...(redisUp
    ? ([
        [
          'redis',
          (limits) => {
            const prefix = testPrefix();
            prefixes.push(prefix);
            return openRedisStore<Value>({
              url: new URL(TEST_REDIS_URL),
              prefix,
              ttlMs: limits.ttlMs,
              maxEntryBytes: limits.maxBytes,
              logLength: 10_000,
              logger: silentLog(),
              describe: 'test',
              reconcileMs: 0,
            });
          },
        ],
      ] satisfies Array<[string, Factory]>)
    : []),
];

const LIMITS = { maxEntries: 100, maxBytes: 1_000_000, ttlMs: 0 };

describe.each(kinds)('the %s store', (kind, create) => {
  const bounded = kind === 'redis' ? it.skip : it;
  async function opened(limits: StoreLimits & { now?: () => number } = LIMITS): Promise<{ store: Store<Value>; changes: StoreChange<Value>[] }> {
    const store = await create(limits);
    const changes: StoreChange<Value>[] = [];
    await store.subscribe((change) => changes.push(change));
    return { store, changes };
  }

  it('gives back an entry by key and by id, counting hits only when touched', async () => {
    const { store } = await opened();
    const stored = store.insert(entry('k1', 'first'));
    expect(stored?.id).toBeGreaterThan(0);
    expect((await store.getByKey('k1'))?.value).toEqual({ text: 'first', tenant: 't1' });
    expect((await store.getById(stored?.id ?? -1))?.key).toBe('k1');
    await store.getByKey('k1', { touch: true });
    expect((await store.getById(stored?.id ?? -1))?.hits).toBe(1);
    expect(await store.getByKey('nope')).toBeUndefined();
    await store.close();
  });

  it('hints, without a read, which exact keys it likely holds', async () => {
    const { store } = await opened();
    const stored = store.insert(entry('held', 'held'));
    expect(store.likelyHolds('held')).toBe(true);
    expect(store.likelyHolds('never-stored')).toBe(false);
    await store.delete(stored?.id ?? -1);
    expect(store.likelyHolds('held')).toBe(false);
    await store.close();
  });

  it('tells the engine what was added, with its vector, and what left and why', async () => {
    const { store, changes } = await opened();
    const first = store.insert(entry('k1', 'first', [1, 0]));
    const second = store.insert(entry('k1', 'replaced'));
    expect(changes.map((c) => c.kind)).toEqual(['added', 'removed', 'added']);
    expect(changes[0]).toMatchObject({ kind: 'added', entry: { id: first?.id }, vector: Float32Array.from([1, 0]) });
    expect(changes[1]).toMatchObject({ kind: 'removed', id: first?.id, partition: 'p', reason: 'deleted' });
    expect((await store.getByKey('k1'))?.id).toBe(second?.id);
    await store.close();
  });

  bounded('evicts the least recently used past the entry bound', async () => {
    const { store, changes } = await opened({ ...LIMITS, maxEntries: 2 });
    const a = store.insert(entry('a', 'a'));
    store.insert(entry('b', 'b'));
    await store.getByKey('a', { touch: true });
    store.insert(entry('c', 'c'));
    expect(await store.getByKey('b')).toBeUndefined();
    expect((await store.getByKey('a'))?.id).toBe(a?.id);
    expect(changes.filter((c) => c.kind === 'removed')).toMatchObject([{ reason: 'lru-entries' }]);
    await store.close();
  });

  bounded('serves nothing past its expiry and sweeps it', async () => {
    const clock = { now: 1_000 };
    const { store } = await opened({ ...LIMITS, ttlMs: 100, now: () => clock.now });
    store.insert(entry('k', 'v'));
    clock.now += 99;
    expect(await store.getByKey('k')).toBeDefined();
    store.insert(entry('k2', 'v2'));
    clock.now += 1;
    expect(await store.getByKey('k')).toBeUndefined();
    clock.now += 100;
    // k2 expired too, unread: the sweep takes it.
    expect(await store.sweepExpired()).toBe(1);
    expect(store.stats().entries).toBe(0);
    await store.close();
  });

  it('deletes one entry, the entries a predicate picks, and all', async () => {
    const { store } = await opened();
    const a = store.insert(entry('a', 'a', undefined, 't1'));
    store.insert(entry('b', 'b', undefined, 't2'));
    store.insert(entry('c', 'c', undefined, 't2'));
    store.insert(entry('d', 'd', undefined, 't3'));
    expect(await store.delete(a?.id ?? -1)).toBe(true);
    expect(await store.delete(a?.id ?? -1)).toBe(false);
    expect(await store.deleteWhere((e) => e.value.tenant === 't2')).toBe(2);
    expect(await store.clear()).toBe(1);
    expect(store.stats()).toEqual({ entries: 0, bytes: 0, blocks: 0 });
    await store.close();
  });

  it('lists newest first, filtered, a page at a time', async () => {
    const { store } = await opened();
    const ids = ['a', 'b', 'c', 'd'].map((k) => store.insert(entry(k, `text ${k}`, undefined, k === 'c' ? 'other' : 't1'))?.id ?? -1);
    const mine = (e: { value: Value }) => e.value.tenant === 't1';
    expect((await store.list({ limit: 10 }, mine)).map((e) => e.id)).toEqual([ids[3], ids[1], ids[0]]);
    expect((await store.list({ limit: 2 }, () => true)).map((e) => e.id)).toEqual([ids[3], ids[2]]);
    expect((await store.list({ limit: 2, before: ids[2] }, () => true)).map((e) => e.id)).toEqual([ids[1], ids[0]]);
    await store.close();
  });

  it('keeps feedback blocks per entry and drops them with the entry', async () => {
    const { store, changes } = await opened();
    const a = store.insert(entry('a', 'a'));
    const id = a?.id ?? -1;
    await store.block(id, 'hash-1');
    await store.block(id, 'hash-1');
    expect(store.isBlocked(id, 'hash-1')).toBe(true);
    expect(store.isBlocked(id, 'hash-2')).toBe(false);
    expect(store.stats().blocks).toBe(1);
    expect(changes.filter((c) => c.kind === 'blocked')).toHaveLength(2);
    await store.delete(id);
    expect(store.isBlocked(id, 'hash-1')).toBe(false);
    expect(store.stats().blocks).toBe(0);
    await store.close();
  });

  it('refuses an entry larger than the byte bound, storing nothing', async () => {
    const { store } = await opened({ ...LIMITS, maxBytes: 1000 });
    expect(store.insert({ ...entry('big', 'x'), bytes: 1001 })).toBeUndefined();
    expect(store.stats().entries).toBe(0);
    await store.close();
  });
});
