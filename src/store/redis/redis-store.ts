// The Redis store (SEMCACHE_STORE=redis://... or rediss://...): a fleet of replicas shares one cache.
// Redis holds the entries, each expiring with a Redis TTL, and a change log (stream); every replica
// keeps its own semantic index of the entries, fed by the log (redis-mirror.ts), so a semantic
// lookup stays in process. Exact lookups and the entries behind semantic candidates are read from
// Redis itself: an answer stored by one replica is an exact hit on every other at once, and an entry
// Redis evicted or expired is a miss. Writes leave the request path (a miss never waits for Redis);
// with Redis down the proxy serves without it and catches up when it is back.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LogSink } from '../../logger.js';
import type { StoredEntry } from '../entry-store.js';
import type { Store, StoreHealth } from '../store.js';
import { decodeEntry, ENTRY_FIELDS, encodeEntry } from './redis-codec.js';
import { connectRedis } from './redis-connection.js';
import { createIdPool } from './redis-ids.js';
import { redisKeys } from './redis-keys.js';
import { createRedisMirror } from './redis-mirror.js';

export interface RedisStoreOptions {
  readonly url: URL;
  readonly prefix: string;
  /** 0: entries never expire. */
  readonly ttlMs: number;
  /** An entry larger than this is not stored (Redis bounds the rest: maxmemory). */
  readonly maxEntryBytes: number;
  /** Events kept in the change log; a replica further behind resyncs from the entries. */
  readonly logLength: number;
  readonly caFile?: string | undefined;
  readonly logger: LogSink;
  readonly describe: string;
  readonly now?: (() => number) | undefined;
  /** How often the mirror checks for entries Redis evicted (0: never). */
  readonly reconcileMs: number;
}

export interface RedisStore<V> extends Store<V> {
  /** Milliseconds between a change on another replica and this one applying it (last batch). */
  readonly lagMs: number;
  /** Writes that failed (Redis down or refusing): those entries stayed with this replica only. */
  readonly writeErrors: number;
}

const SCAN_COUNT = 500;

export async function openRedisStore<V>(options: RedisStoreOptions): Promise<RedisStore<V>> {
  const now = options.now ?? Date.now;
  const keys = redisKeys(options.prefix);
  const connection = await connectRedis({ url: options.url, logger: options.logger, caFile: options.caFile, describe: options.describe });
  const redis: Redis = connection.commands;
  const replica = randomBytes(8).toString('hex');
  const ids = createIdPool(redis, keys.nextId);
  const mirror = createRedisMirror<V>({ redis, follower: connection.follower, keys, replica, logger: options.logger, now });
  let writeErrors = 0;
  const failed = (): void => {
    writeErrors++;
  };
  await ids.refill();
  connection.onReady(() => {
    void ids.renew();
    void mirror.catchUp().catch(() => undefined);
  });
  const reconcile = options.reconcileMs > 0 ? setInterval(() => void mirror.reconcile().catch(() => undefined), options.reconcileMs).unref() : undefined;

  const logEvent = (fields: Record<string, string | number>): (string | number)[] => [
    'MAXLEN',
    '~',
    options.logLength,
    '*',
    ...Object.entries(fields).flat(),
    'by',
    replica,
  ];

  async function read(key: string): Promise<StoredEntry<V> | undefined> {
    try {
      const entry = decodeEntry<V>(key, await redis.hmgetBuffer(keys.entry(key), ...ENTRY_FIELDS));
      // Gone from Redis (evicted, expired, deleted): gone from this replica's index too.
      if (entry === undefined) {
        const id = mirror.idOfKey.get(key);
        if (id !== undefined) mirror.forget(id, 'ttl');
      }
      return entry !== undefined && entry.expiresAt > now() ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  function use(entry: StoredEntry<V>): StoredEntry<V> {
    const at = now();
    redis
      .pipeline()
      .hincrby(keys.entry(entry.key), 'hits', 1)
      .hset(keys.entry(entry.key), 'lastUsedAt', String(at))
      .exec()
      .catch(() => undefined);
    return { ...entry, hits: entry.hits + 1, lastUsedAt: at };
  }

  async function remove(id: number, key: string): Promise<void> {
    await redis
      .multi()
      .del(keys.entry(key), keys.byId(id), keys.blocks(id))
      .xadd(keys.log, ...logEvent({ op: 'deleted', id }))
      .exec();
    mirror.forget(id, 'deleted');
  }

  /** Every entry in Redis, decoded, in batches: for operators (list, flush), not the request path. */
  async function* scanEntries(): AsyncGenerator<StoredEntry<V>> {
    const prefixLength = keys.entry('').length;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', keys.entryPattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      const pipeline = redis.pipeline();
      for (const key of found) pipeline.hmgetBuffer(key, ...ENTRY_FIELDS);
      const replies = (await pipeline.exec()) ?? [];
      for (const [i, [error, fields]] of replies.entries()) {
        const entry = error === null ? decodeEntry<V>((found[i] ?? '').slice(prefixLength), fields as Array<Buffer | null>) : undefined;
        if (entry !== undefined) yield entry;
      }
    } while (cursor !== '0');
  }

  async function idKey(id: number): Promise<string | undefined> {
    return mirror.known.get(id)?.key ?? (await redis.get(keys.byId(id)).catch(() => null)) ?? undefined;
  }

  return {
    kind: 'redis',
    remote: true,
    likelyHolds: (key) => mirror.idOfKey.has(key),
    subscribe: (listener, subscribeOptions = {}) => mirror.start(listener, subscribeOptions),
    async getByKey(key, get) {
      const entry = await read(key);
      return entry !== undefined && get?.touch === true ? use(entry) : entry;
    },
    async getById(id, get) {
      const key = await idKey(id);
      const entry = key === undefined ? undefined : await read(key);
      if (entry === undefined || entry.id !== id) return undefined;
      return get?.touch === true ? use(entry) : entry;
    },
    use,
    insert(input) {
      if (input.bytes > options.maxEntryBytes) return undefined;
      const id = ids.take();
      if (id === undefined) return undefined;
      const createdAt = now();
      const entry: StoredEntry<V> = {
        id,
        key: input.key,
        partition: input.partition,
        bytes: input.bytes,
        createdAt,
        expiresAt: options.ttlMs > 0 ? createdAt + options.ttlMs : Infinity,
        lastUsedAt: createdAt,
        hits: 0,
        value: input.value,
        ...input.kept,
      };
      const write = redis.multi().hset(keys.entry(entry.key), encodeEntry(entry, input.vector)).set(keys.byId(id), entry.key);
      if (Number.isFinite(entry.expiresAt)) write.pexpireat(keys.entry(entry.key), entry.expiresAt).pexpireat(keys.byId(id), entry.expiresAt);
      write
        .xadd(keys.log, ...logEvent({ op: 'stored', id, key: entry.key, partition: entry.partition }))
        .exec()
        .then((replies) => {
          if (replies?.some(([error]) => error !== null) === true) failed();
        }, failed);
      mirror.remember(entry, input.vector);
      return entry;
    },
    async delete(id) {
      const key = await idKey(id);
      if (key === undefined || (await read(key))?.id !== id) return false;
      await remove(id, key);
      return true;
    },
    async deleteWhere(predicate) {
      let removed = 0;
      for await (const entry of scanEntries()) {
        if (!predicate(entry)) continue;
        await remove(entry.id, entry.key);
        removed++;
      }
      return removed;
    },
    async clear() {
      let removed = 0;
      for await (const entry of scanEntries()) {
        await redis.del(keys.entry(entry.key), keys.byId(entry.id), keys.blocks(entry.id));
        removed++;
      }
      await redis.xadd(keys.log, ...logEvent({ op: 'cleared', id: 0 }));
      for (const id of [...mirror.known.keys()]) mirror.forget(id, 'flushed');
      return removed;
    },
    async sweepExpired() {
      // Redis expires the entries; this replica forgets the ones it knew.
      const at = now();
      let swept = 0;
      for (const [id, entry] of [...mirror.known]) {
        if (entry.expiresAt <= at) {
          mirror.forget(id, 'ttl');
          swept++;
        }
      }
      return swept;
    },
    async list(query, predicate) {
      const found: StoredEntry<V>[] = [];
      for await (const entry of scanEntries()) {
        if ((query.before === undefined || entry.id < query.before) && predicate(entry)) found.push(entry);
      }
      return found.sort((a, b) => b.id - a.id).slice(0, query.limit);
    },
    async block(entryId, promptHash) {
      const key = await idKey(entryId);
      const entry = key === undefined ? undefined : await read(key);
      if (entry === undefined) return;
      const write = redis.multi().sadd(keys.blocks(entryId), promptHash);
      if (Number.isFinite(entry.expiresAt)) write.pexpireat(keys.blocks(entryId), entry.expiresAt);
      await write.xadd(keys.log, ...logEvent({ op: 'blocked', id: entryId, hash: promptHash })).exec();
      mirror.block(entryId, promptHash);
    },
    isBlocked: (entryId, promptHash) => mirror.blocks.isBlocked(entryId, promptHash),
    stats: () => ({ entries: mirror.known.size, bytes: mirror.bytes, blocks: mirror.blocks.size }),
    health(): StoreHealth {
      const figures = { lagMs: mirror.lagMs, writeErrors };
      return connection.up ? { state: 'ok', ...figures } : { state: 'degraded', detail: `redis unreachable: ${connection.problem ?? 'unknown'}`, ...figures };
    },
    get lagMs() {
      return mirror.lagMs;
    },
    get writeErrors() {
      return writeErrors;
    },
    async close() {
      clearInterval(reconcile);
      mirror.stop();
      await connection.close();
    },
  };
}
