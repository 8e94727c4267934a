// A replica's mirror of the fleet's entries, on a real Redis, when its two connections disagree: the
// follower (blocking reads of the change log) is up while the command connection (which reads the
// entries the log names) is cut. Events read then must be read again once the entries can be: moving
// past them would leave those entries out of this replica's semantic index until a resync.
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { openRedisStore, type RedisStore } from '../../src/store/redis/redis-store.js';
import { redisKeys } from '../../src/store/redis/redis-keys.js';
import { createRedisMirror } from '../../src/store/redis/redis-mirror.js';
import type { StoreChange } from '../../src/store/store.js';
import { dropPrefix, sharedRedisReachable, startCutRelay, testPrefix, TEST_REDIS_URL, type CutRelay } from '../helpers/redis.js';
import { contractEntry as entry, silentLog, type Value } from './store-fixtures.js';

const redisUp = await sharedRedisReachable();

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(url: string, options: { offlineQueue: boolean }): Redis {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: options.offlineQueue, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  cleanups.push(async () => void redis.disconnect());
  return redis;
}

async function writer(prefix: string): Promise<RedisStore<Value>> {
  const store = await openRedisStore<Value>({
    url: new URL(TEST_REDIS_URL),
    prefix,
    ttlMs: 0,
    maxEntryBytes: 1e9,
    logLength: 10_000,
    logger: silentLog(),
    describe: 'test',
    reconcileMs: 0,
  });
  cleanups.push(() => store.close());
  return store;
}

describe.skipIf(!redisUp)('redis mirror', () => {
  it('reads again the log events whose entries it could not fetch, once the command connection is back', async () => {
    const prefix = testPrefix();
    cleanups.push(() => dropPrefix(TEST_REDIS_URL, prefix));
    const target = new URL(TEST_REDIS_URL);
    const relay: CutRelay = await startCutRelay({ host: target.hostname, port: Number(target.port || 6379) });
    cleanups.push(() => relay.close());
    const a = await writer(prefix);

    const commands = client(relay.url, { offlineQueue: false });
    const follower = client(TEST_REDIS_URL, { offlineQueue: true });
    await Promise.all([commands.connect(), follower.connect()]);
    const mirror = createRedisMirror<Value>({ redis: commands, follower, keys: redisKeys(prefix), replica: 'b', logger: silentLog(), now: Date.now });
    cleanups.push(async () => mirror.stop());
    const changes: Array<StoreChange<Value>> = [];
    await mirror.start((change) => changes.push(change), {});
    const added = (): string[] => changes.flatMap((c) => (c.kind === 'added' ? [c.entry.key] : []));

    a.insert(entry('before', 'before the cut', [1, 0]));
    await expect.poll(added, { timeout: 5_000 }).toEqual(['before']);

    relay.cut();
    await expect.poll(() => commands.status, { timeout: 5_000 }).not.toBe('ready');
    for (const key of ['x1', 'x2']) a.insert(entry(key, key, [0, 1]));
    // The follower reads both events at once (its connection is up) and cannot fetch their entries.
    await expect.poll(async () => (await follower.xlen(redisKeys(prefix).log)) >= 3, { timeout: 5_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(added()).toEqual(['before']);

    relay.restore();
    await expect.poll(added, { timeout: 10_000 }).toEqual(['before', 'x1', 'x2']);
    expect(mirror.known.size).toBe(3);
  }, 30_000);
});
