import { describe, it, expect } from 'vitest';
import { createEntryStore, type EvictReason, type StoredEntry } from '../../src/store/entry-store.js';

interface Harness {
  clock: { now: number };
  evicted: Array<[number, EvictReason]>;
}

function storeWith(limits: { maxEntries?: number; maxBytes?: number; ttlMs?: number } = {}) {
  const harness: Harness = { clock: { now: 1_000 }, evicted: [] };
  const store = createEntryStore<string>({
    maxEntries: limits.maxEntries ?? 100,
    maxBytes: limits.maxBytes ?? 1_000_000,
    ttlMs: limits.ttlMs ?? 0,
    now: () => harness.clock.now,
    onEvict: (entry: StoredEntry<string>, reason) => harness.evicted.push([entry.id, reason]),
  });
  return { store, ...harness };
}

function put(store: ReturnType<typeof storeWith>['store'], key: string, bytes = 10, partition = 'p') {
  const entry = store.insert({ key, partition, bytes, value: `value of ${key}` });
  if (entry === undefined) throw new Error(`insert of ${key} was refused`);
  return entry;
}

describe('createEntryStore', () => {
  it('assigns increasing ids and stamps times from the clock', () => {
    const { store } = storeWith({ ttlMs: 500 });
    const a = put(store, 'a');
    const b = put(store, 'b');

    expect([a.id, b.id]).toEqual([1, 2]);
    expect(a).toMatchObject({ createdAt: 1_000, expiresAt: 1_500, lastUsedAt: 1_000, hits: 0, value: 'value of a' });
    expect(store.getByKey('b')?.id).toBe(2);
    expect(store.getById(1)?.key).toBe('a');
  });

  it('expires an entry at its ttl and evicts it on read with reason ttl', () => {
    const { store, clock, evicted } = storeWith({ ttlMs: 500 });
    const a = put(store, 'a');

    clock.now = 1_499;
    expect(store.getById(a.id)?.key).toBe('a');
    clock.now = 1_500;

    expect(store.getByKey('a')).toBeUndefined();
    expect(evicted).toEqual([[a.id, 'ttl']]);
    expect(store.size).toBe(0);
  });

  it('never expires entries when ttlMs is 0', () => {
    const { store, clock } = storeWith({ ttlMs: 0 });
    const a = put(store, 'a');

    clock.now = Number.MAX_SAFE_INTEGER;

    expect(a.expiresAt).toBe(Infinity);
    expect(store.getById(a.id)?.key).toBe('a');
  });

  it('sweeps only expired entries', () => {
    const { store, clock, evicted } = storeWith({ ttlMs: 100 });
    const a = put(store, 'a');
    clock.now = 1_050;
    const b = put(store, 'b');
    clock.now = 1_100;

    expect(store.sweepExpired()).toBe(1);
    expect(evicted).toEqual([[a.id, 'ttl']]);
    expect([...store.entries()].map((e) => e.id)).toEqual([b.id]);
  });

  it('counts a hit and moves the entry to most recent only when touched', () => {
    const { store, clock } = storeWith();
    const a = put(store, 'a');
    put(store, 'b');
    clock.now = 2_000;

    store.getById(a.id);
    expect([...store.entries()].map((e) => e.key)).toEqual(['a', 'b']);
    const touched = store.getByKey('a', { touch: true });

    expect(touched).toMatchObject({ hits: 1, lastUsedAt: 2_000 });
    expect([...store.entries()].map((e) => e.key)).toEqual(['b', 'a']);
  });

  it('evicts the least recently used entry past maxEntries with reason lru-entries', () => {
    const { store, evicted } = storeWith({ maxEntries: 2 });
    const a = put(store, 'a');
    const b = put(store, 'b');
    store.getById(a.id, { touch: true });

    const c = put(store, 'c');

    expect(evicted).toEqual([[b.id, 'lru-entries']]);
    expect([...store.entries()].map((e) => e.id)).toEqual([a.id, c.id]);
  });

  it('evicts least recently used entries until the bytes fit with reason lru-bytes', () => {
    const { store, evicted } = storeWith({ maxBytes: 100 });
    const a = put(store, 'a', 40);
    const b = put(store, 'b', 40);
    const c = put(store, 'c', 20);

    const d = put(store, 'd', 70);

    expect(evicted).toEqual([
      [a.id, 'lru-bytes'],
      [b.id, 'lru-bytes'],
    ]);
    expect(store.bytes).toBe(90);
    expect([...store.entries()].map((e) => e.id)).toEqual([c.id, d.id]);
  });

  it('refuses an entry larger than maxBytes without evicting anything', () => {
    const { store, evicted } = storeWith({ maxBytes: 100 });
    put(store, 'a', 50);

    const refused = store.insert({ key: 'huge', partition: 'p', bytes: 101, value: 'x' });

    expect(refused).toBeUndefined();
    expect(evicted).toEqual([]);
    expect(store.size).toBe(1);
  });

  it('replaces an entry with the same key, evicting the old one with reason deleted', () => {
    const { store, evicted } = storeWith();
    const old = put(store, 'same', 10);

    const fresh = put(store, 'same', 30);

    expect(evicted).toEqual([[old.id, 'deleted']]);
    expect(store.getByKey('same')?.id).toBe(fresh.id);
    expect(store.getById(old.id)).toBeUndefined();
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(30);
  });

  it('deletes by id with reason deleted and reports whether anything was removed', () => {
    const { store, evicted } = storeWith();
    const a = put(store, 'a');

    expect(store.delete(a.id)).toBe(true);
    expect(store.delete(a.id)).toBe(false);
    expect(evicted).toEqual([[a.id, 'deleted']]);
    expect(store.getByKey('a')).toBeUndefined();
    expect(store.bytes).toBe(0);
  });

  it('flushes the entries a predicate selects with reason flushed', () => {
    const { store, evicted } = storeWith();
    const a = put(store, 'a', 10, 'tenant-1');
    put(store, 'b', 10, 'tenant-2');
    const c = put(store, 'c', 10, 'tenant-1');

    const removed = store.deleteWhere((entry) => entry.partition === 'tenant-1');

    expect(removed).toBe(2);
    expect(evicted).toEqual([
      [a.id, 'flushed'],
      [c.id, 'flushed'],
    ]);
    expect([...store.entries()].map((e) => e.key)).toEqual(['b']);
  });

  it('clears every entry with reason flushed', () => {
    const { store, evicted } = storeWith();
    put(store, 'a');
    put(store, 'b');

    expect(store.clear()).toBe(2);
    expect(evicted.map(([, reason]) => reason)).toEqual(['flushed', 'flushed']);
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });

  it('has already removed the entry when onEvict runs', () => {
    const seen: Array<number | undefined> = [];
    const store = createEntryStore<string>({
      maxEntries: 10,
      maxBytes: 100,
      ttlMs: 0,
      onEvict: (entry) => seen.push(store.getById(entry.id)?.id),
    });
    const entry = store.insert({ key: 'a', partition: 'p', bytes: 1, value: 'v' });

    store.delete(entry?.id ?? -1);

    expect(seen).toEqual([undefined]);
  });
});
