// The store SEMCACHE_STORE names: memory, a SQLite file, or Redis.
import type { StoreConfig } from '../config-store.js';
import type { LogSink } from '../logger.js';
import { createMemoryStore, type StoreLimits } from './memory-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export function createStore<V>(config: StoreConfig, options: { limits: StoreLimits; logger: LogSink; now?: (() => number) | undefined }): Store<V> {
  const { spec } = config;
  if (spec.kind === 'memory') return createMemoryStore<V>({ ...options.limits, now: options.now });
  if (spec.kind === 'sqlite') {
    return openSqliteStore<V>({ ...options.limits, path: spec.path, onBadFile: config.onBadFile, logger: options.logger, now: options.now, flushMs: config.flushMs });
  }
  throw new Error('the Redis store is not built yet');
}
