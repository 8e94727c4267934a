// Where the cache keeps its entries (SEMCACHE_STORE) and the settings of the durable and shared
// stores. Read through the shared ConfigReader; loadConfig places the result at config.store.
import { dirname, join } from 'node:path';
import type { ConfigReader } from './config-reader.js';

/** `semcache serve` keeps its cache in this file unless told otherwise; other commands, and
 * buildApp in tests, keep it in memory. */
export const DEFAULT_SERVE_STORE = 'sqlite:./semcache-data/cache.db';
export const DEFAULT_STORE_FLUSH_MS = 20;
export const DEFAULT_INDEX_SAVE_SECONDS = 300;
export const DEFAULT_STORE_PREFIX = 'semcache';
export const DEFAULT_STORE_LOG_LENGTH = 100_000;
const BAD_FILE_POLICIES = ['fail', 'move-aside'] as const;

export type StoreSpec = { readonly kind: 'memory' } | { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'redis'; readonly url: URL };

export interface StoreConfig {
  readonly spec: StoreSpec;
  /** Longest wait before a change is written to the SQLite file. */
  readonly flushMs: number;
  /** A SQLite file that is not semcache's, corrupt or too new: stop (fail) or move it aside. */
  readonly onBadFile: (typeof BAD_FILE_POLICIES)[number];
  /** Redis key prefix: two deployments on one Redis stay apart. */
  readonly prefix: string;
  /** Where the semantic index is saved; undefined: not saved (the memory store). */
  readonly indexDir: string | undefined;
  /** How often the index is saved while serving (0: only at shutdown). */
  readonly indexSaveSeconds: number;
  /** /readyz answers 200 while the store is degraded (the proxy still serves); false: 503. */
  readonly readyWhenDegraded: boolean;
  /** Redis change-log events kept (approximately); a replica further behind resyncs from the entries. */
  readonly logLength: number;
  /** CA certificate (PEM) of a rediss:// server whose certificate the system does not trust. */
  readonly tlsCaFile: string | undefined;
}

/** The spec of a SEMCACHE_STORE value, or a problem saying why it is not one. */
export function parseStoreSpec(value: string): StoreSpec | string {
  if (value === 'memory') return { kind: 'memory' };
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    return path === '' ? 'sqlite: needs a file path, e.g. sqlite:./semcache-data/cache.db' : { kind: 'sqlite', path };
  }
  if (value.startsWith('redis://') || value.startsWith('rediss://')) {
    try {
      return { kind: 'redis', url: new URL(value) };
    } catch {
      return 'is not a valid redis:// or rediss:// URL';
    }
  }
  return 'must be memory, sqlite:PATH, redis://... or rediss://...';
}

/** A store spec as it may be logged: a Redis URL without its password. */
export function describeStore(spec: StoreSpec): string {
  if (spec.kind !== 'redis') return spec.kind === 'memory' ? 'memory' : `sqlite:${spec.path}`;
  const url = new URL(spec.url.href);
  if (url.password !== '') url.password = '***';
  return url.href;
}

export function readStoreConfig(read: ConfigReader, defaultStore: string): StoreConfig {
  const help = 'where entries live: `memory`, `sqlite:PATH`, `redis://[:password@]host:port[/db]` or `rediss://...` (README: Where the cache lives)';
  const raw = read.string(
    'STORE',
    defaultStore,
    defaultStore === 'memory' ? help : { help, shown: `\`${defaultStore}\` for \`serve\`; \`memory\` for \`demo\`, \`bench\` and \`buildApp\`` },
  );
  const parsed = parseStoreSpec(raw);
  if (typeof parsed === 'string') read.problem(`SEMCACHE_STORE ${parsed}`);
  const spec: StoreSpec = typeof parsed === 'string' ? { kind: 'memory' } : parsed;
  const prefix = read.string('STORE_PREFIX', DEFAULT_STORE_PREFIX, 'Redis key prefix: two deployments on one Redis stay apart');
  if (!/^[\w.:-]{1,64}$/.test(prefix)) read.problem('SEMCACHE_STORE_PREFIX must be 1-64 characters of letters, digits, _, ., : or -');
  const indexDefault =
    spec.kind === 'sqlite' ? join(dirname(spec.path), 'index') : spec.kind === 'redis' ? join('semcache-data', `index-${prefix}`) : undefined;
  return {
    spec,
    flushMs: read.int('STORE_FLUSH_MS', DEFAULT_STORE_FLUSH_MS, 'longest wait before a change is written to the SQLite file (one transaction per batch)', {
      min: 1,
      max: 60_000,
    }),
    onBadFile: read.oneOf(
      'STORE_ON_BAD_FILE',
      BAD_FILE_POLICIES,
      'fail',
      "a SQLite file that is not semcache's, corrupt or of a newer schema: `fail` (stop with one error naming it) or `move-aside` (rename it `*.bad-<time>` and start empty)",
    ),
    prefix,
    indexDir:
      read.optionalString('INDEX_DIR', {
        help: 'where the semantic index is saved (hnswlib files, 0600)',
        shown: 'beside the SQLite file (`index/`); `semcache-data/index-<prefix>` with Redis; not saved with `memory`',
      }) ?? indexDefault,
    indexSaveSeconds: read.int('INDEX_SAVE_SECONDS', DEFAULT_INDEX_SAVE_SECONDS, 'how often the index is saved while serving (0: at shutdown only)', {
      min: 0,
    }),
    readyWhenDegraded: read.bool(
      'READY_WHEN_STORE_DEGRADED',
      true,
      '`/readyz` answers 200 (`"status":"degraded"`) while the store is unreachable; `false`: 503',
    ),
    logLength: read.int('STORE_LOG_LENGTH', DEFAULT_STORE_LOG_LENGTH, 'Redis change-log events kept; a replica further behind resyncs from the entries', {
      min: 1_000,
    }),
    tlsCaFile: read.optionalString('STORE_TLS_CA_FILE', "PEM of the CA that signed a `rediss://` server's certificate"),
  };
}
