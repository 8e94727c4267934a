// The store SEMCACHE_STORE names: memory, a SQLite file, or Redis.
import { describeStore, type StoreConfig } from '../config-store.js';
import type { LogSink } from '../logger.js';
import { createMemoryStore, type StoreLimits } from './memory-store.js';
import { openRedisStore } from './redis/redis-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** How often a Redis replica looks for entries Redis evicted or expired, to drop their vectors. */
const RECONCILE_MS = 60_000;

export async function createStore<V>(
  config: StoreConfig,
  options: { limits: StoreLimits; logger: LogSink; now?: (() => number) | undefined },
): Promise<Store<V>> {
  const { spec } = config;
  if (spec.kind === 'memory') return createMemoryStore<V>({ ...options.limits, now: options.now });
  if (spec.kind === 'sqlite') {
    return openSqliteStore<V>({
      ...options.limits,
      path: spec.path,
      onBadFile: config.onBadFile,
      logger: options.logger,
      now: options.now,
      flushMs: config.flushMs,
    });
  }
  return openRedisStore<V>({
    url: spec.url,
    prefix: config.prefix,
    ttlMs: options.limits.ttlMs,
    maxEntryBytes: options.limits.maxBytes,
    logLength: config.logLength,
    caFile: config.tlsCaFile,
    logger: options.logger,
    describe: describeStore(spec),
    now: options.now,
    reconcileMs: RECONCILE_MS,
  });
}
