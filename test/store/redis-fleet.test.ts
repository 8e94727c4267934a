// The Redis store as a fleet sees it, on real Redis servers: what one replica writes the other reads
// at once (exact tier) and indexes soon after (the change log); deletes, blocks and clears reach
// every replica; a replica cut off from Redis keeps answering (fast misses), then catches up from the
// log, or resyncs when the log was trimmed past it or Redis lost everything; passwords, TLS and
// prefixes work.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openRedisStore, type RedisStore, type RedisStoreOptions } from '../../src/store/redis/redis-store.js';
import type { StoreChange } from '../../src/store/store.js';
import {
  dropPrefix,
  redisServerInstalled,
  sharedRedisReachable,
  startCutRelay,
  startOwnRedis,
  testPrefix,
  TEST_REDIS_URL,
  type OwnRedis,
} from '../helpers/redis.js';
import { contractEntry as entry, silentLog, type RecordingLog, type Value } from './store-fixtures.js';

const redisUp = await sharedRedisReachable();
const ownRedis = redisServerInstalled();
if (!ownRedis && process.env.CI === 'true') throw new Error('CI=true and redis-server is not installed: the Redis fault tests must run in CI');

const opened: Array<RedisStore<Value>> = [];
const prefixes: string[] = [];
const servers: OwnRedis[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const prefix of prefixes.splice(0)) await dropPrefix(TEST_REDIS_URL, prefix);
  for (const server of servers.splice(0)) await server.stop();
});

async function replica(
  url: string,
  prefix: string,
  extra: Partial<RedisStoreOptions> = {},
): Promise<{ store: RedisStore<Value>; changes: StoreChange<Value>[]; log: RecordingLog }> {
  const log = silentLog();
  const store = await openRedisStore<Value>({
    url: new URL(url),
    prefix,
    ttlMs: 0,
    maxEntryBytes: 1e9,
    logLength: 10_000,
    logger: log,
    describe: 'test',
    reconcileMs: 0,
    ...extra,
  });
  opened.push(store);
  const changes: StoreChange<Value>[] = [];
  await store.subscribe((change) => changes.push(change));
  return { store, changes, log };
}

const keysOf = (changes: readonly StoreChange<Value>[], kind: StoreChange<Value>['kind']) =>
  changes.filter((c) => c.kind === kind).map((c) => (c.kind === 'added' ? c.entry.key : c.kind === 'removed' ? c.id : c.entryId));

describe.skipIf(!redisUp)('two replicas on one Redis', () => {
  it("reads each other's entries at once and indexes them from the change log", async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const a = await replica(TEST_REDIS_URL, prefix);
    const b = await replica(TEST_REDIS_URL, prefix);
    const stored = a.store.insert(entry('k1', 'from A', [0.6, 0.8]));
    await expect.poll(async () => (await b.store.getByKey('k1'))?.id, { timeout: 2000, interval: 5 }).toBe(stored?.id);
    await expect.poll(() => keysOf(b.changes, 'added'), { timeout: 2000, interval: 5 }).toEqual(['k1']);
    expect(b.changes[0]).toMatchObject({ kind: 'added', vector: Float32Array.from([0.6, 0.8]) });
    // A replica does not re-apply its own events.
    expect(keysOf(a.changes, 'added')).toEqual(['k1']);
    expect((await b.store.getByKey('k1', { touch: true }))?.hits).toBe(1);
    await expect.poll(async () => (await a.store.getByKey('k1'))?.hits, { timeout: 2000 }).toBe(1);
  });

  it('applies deletes, feedback blocks and clears on every replica', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const a = await replica(TEST_REDIS_URL, prefix);
    const b = await replica(TEST_REDIS_URL, prefix);
    const one = a.store.insert(entry('one', '1', [1, 0]));
    const two = a.store.insert(entry('two', '2', [0, 1]));
    a.store.insert(entry('three', '3', [0, 1]));
    await expect.poll(() => b.store.stats().entries, { timeout: 2000 }).toBe(3);

    await a.store.block(two?.id ?? -1, 'hash-x');
    await expect.poll(() => b.store.isBlocked(two?.id ?? -1, 'hash-x'), { timeout: 2000 }).toBe(true);
    expect(await a.store.delete(one?.id ?? -1)).toBe(true);
    await expect.poll(() => keysOf(b.changes, 'removed'), { timeout: 2000 }).toEqual([one?.id]);
    expect(await b.store.getByKey('one')).toBeUndefined();
    expect(await b.store.clear()).toBe(2);
    await expect.poll(() => a.store.stats().entries, { timeout: 2000 }).toBe(0);
    expect(await a.store.getByKey('two')).toBeUndefined();
  });

  it('keeps two deployments on one Redis apart by prefix', async () => {
    const [p1, p2] = [testPrefix(), testPrefix()];
    prefixes.push(p1, p2);
    const a = await replica(TEST_REDIS_URL, p1);
    const other = await replica(TEST_REDIS_URL, p2);
    a.store.insert(entry('shared-key', 'deployment 1'));
    await expect.poll(async () => (await a.store.getByKey('shared-key'))?.value.text).toBe('deployment 1');
    expect(await other.store.getByKey('shared-key')).toBeUndefined();
    expect(await other.store.list({ limit: 10 }, () => true)).toEqual([]);
  });

  it('answers fast while cut off, then catches up from the change log', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const target = new URL(TEST_REDIS_URL);
    const relay = await startCutRelay({ host: target.hostname, port: Number(target.port || 6379) });
    try {
      const a = await replica(TEST_REDIS_URL, prefix);
      const b = await replica(relay.url, prefix);
      a.store.insert(entry('before', 'before the cut', [1, 0]));
      await expect.poll(() => keysOf(b.changes, 'added'), { timeout: 2000 }).toEqual(['before']);

      relay.cut();
      await expect.poll(() => b.store.health().state, { timeout: 3000 }).toBe('degraded');
      const started = performance.now();
      expect(await b.store.getByKey('before')).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(b.store.insert(entry('while-cut', 'only local'))).toBeDefined();
      for (const key of ['x1', 'x2', 'x3']) a.store.insert(entry(key, key, [0, 1]));
      expect(b.log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
        "redis unreachable: serving as a proxy with this replica's own index until it is back",
      ]);

      relay.restore();
      await expect.poll(() => b.store.health().state, { timeout: 20_000 }).toBe('ok');
      await expect.poll(() => keysOf(b.changes, 'added'), { timeout: 20_000 }).toEqual(['before', 'while-cut', 'x1', 'x2', 'x3']);
      expect((await b.store.getByKey('x2'))?.value.text).toBe('x2');
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('resyncs from the entries when the change log was trimmed past it', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const target = new URL(TEST_REDIS_URL);
    const relay = await startCutRelay({ host: target.hostname, port: Number(target.port || 6379) });
    try {
      const a = await replica(TEST_REDIS_URL, prefix, { logLength: 10 });
      const b = await replica(relay.url, prefix);
      const gone = a.store.insert(entry('gone', 'deleted while B was away', [1, 0]));
      await expect.poll(() => keysOf(b.changes, 'added'), { timeout: 2000 }).toEqual(['gone']);
      relay.cut();
      await a.store.delete(gone?.id ?? -1);
      for (let i = 0; i < 400; i++) a.store.insert(entry(`bulk-${i}`, `bulk ${i}`, [0, 1]));
      await expect.poll(async () => (await a.store.getByKey('bulk-399'))?.id, { timeout: 3000 }).toBeDefined();
      relay.restore();
      await expect.poll(() => b.store.stats().entries, { timeout: 10_000 }).toBe(400);
      expect(keysOf(b.changes, 'removed')).toEqual([gone?.id]);
      expect(b.log.lines.map((l) => l.message)).toContain('change log trimmed past this replica: resyncing from the entries');
    } finally {
      await relay.close();
    }
  }, 30_000);
});

describe.skipIf(!ownRedis)("a Redis of the test's own", () => {
  it('survives Redis being killed and started empty: misses meanwhile, forgets what Redis lost', async () => {
    const server = await startOwnRedis();
    servers.push(server);
    const a = await replica(server.url, 'own');
    a.store.insert(entry('lost', 'on the first Redis', [1, 0]));
    await expect.poll(async () => (await a.store.getByKey('lost'))?.value.text).toBe('on the first Redis');
    await server.stop();
    await expect.poll(() => a.store.health().state, { timeout: 3000 }).toBe('degraded');
    expect(await a.store.getByKey('lost')).toBeUndefined();
    expect(await a.store.list({ limit: 5 }, () => true).catch(() => 'failed')).toBe('failed');
    await server.start();
    await expect.poll(() => a.store.health().state, { timeout: 10_000 }).toBe('ok');
    await expect.poll(() => keysOf(a.changes, 'removed').length, { timeout: 10_000 }).toBe(1);
    expect(a.store.stats().entries).toBe(0);
    await expect.poll(() => a.store.insert(entry('after', 'on the second Redis')) !== undefined, { timeout: 5000 }).toBe(true);
  }, 30_000);

  it('connects with a password, and reports a wrong one as degraded', async () => {
    const server = await startOwnRedis({ password: 's3cret/pw' });
    servers.push(server);
    const good = await replica(server.url, 'pw');
    good.store.insert(entry('k', 'with a password'));
    await expect.poll(async () => (await good.store.getByKey('k'))?.value.text).toBe('with a password');
    const bad = await replica(server.url.replace('s3cret%2Fpw', 'wrong'), 'pw');
    await expect
      .poll(() => bad.store.health(), { timeout: 3000 })
      .toMatchObject({ state: 'degraded', detail: expect.stringMatching(/WRONGPASS|NOAUTH|invalid password/i) });
  }, 30_000);

  it("connects over TLS (rediss://) with the server's certificate authority", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semcache-tls-'));
    try {
      const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const tls = await startOwnRedis({ tls: { cert, key } });
      servers.push(tls);
      expect(tls.url).toBe(`rediss://127.0.0.1:${tls.port}`);
      const a = await replica(tls.url, 'tls', { caFile: cert });
      expect(a.store.health().state).toBe('ok');
      a.store.insert(entry('k', 'over TLS'));
      await expect.poll(async () => (await a.store.getByKey('k'))?.value.text).toBe('over TLS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

afterAll(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
