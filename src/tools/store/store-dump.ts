// A store's entries as JSON lines, to move a warm cache (SQLite to Redis, one Redis to another) or
// keep a copy: a header line, then one line per entry with its vector (base64 float32) and its
// feedback blocks. Read from a SQLite file opened read-only (beside a running server) or from Redis.
import type { Redis } from 'ioredis';
import type { StoreSpec } from '../../config-store.js';
import type { StoredEntry } from '../../store/entry-store.js';
import { decodeEntry, decodeVector, ENTRY_FIELDS } from '../../store/redis/redis-codec.js';
import type { RedisKeys } from '../../store/redis/redis-keys.js';
import { openStoreFileReadOnly } from '../../store/sqlite-file.js';
import { entryOf, vectorOf } from '../../store/sqlite-store.js';

export const DUMP_FORMAT = 'semcache-export';
export const DUMP_VERSION = 1;

export interface DumpRecord {
  readonly entry: StoredEntry<unknown>;
  readonly vector: Float32Array | undefined;
  readonly blocks: readonly string[];
}

export function dumpHeader(store: string, now: number): string {
  return JSON.stringify({ format: DUMP_FORMAT, version: DUMP_VERSION, store, exported_at: new Date(now).toISOString() });
}

export function dumpLine({ entry, vector, blocks }: DumpRecord): string {
  return JSON.stringify({
    id: entry.id,
    key: entry.key,
    partition: entry.partition,
    bytes: entry.bytes,
    created_at: entry.createdAt,
    expires_at: Number.isFinite(entry.expiresAt) ? entry.expiresAt : null,
    last_used_at: entry.lastUsedAt,
    hits: entry.hits,
    value: entry.value,
    vector: vector === undefined ? null : Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64'),
    blocks,
  });
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** One entry line back; a problem string when the line is not one. */
export function parseDumpLine(line: string): DumpRecord | string {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  const { id, key, partition, bytes, created_at: createdAt, expires_at: expiresAt, last_used_at: lastUsedAt, hits, value, vector, blocks } = raw;
  if (
    !isInteger(id) ||
    typeof key !== 'string' ||
    typeof partition !== 'string' ||
    !isInteger(bytes) ||
    !isInteger(createdAt) ||
    !isInteger(lastUsedAt) ||
    !isInteger(hits)
  ) {
    return 'missing or mistyped id, key, partition, bytes, created_at, last_used_at or hits';
  }
  if (expiresAt !== null && !isInteger(expiresAt)) return 'expires_at must be an integer or null';
  if (typeof value !== 'object' || value === null) return 'value must be an object';
  if (vector !== null && typeof vector !== 'string') return 'vector must be base64 or null';
  if (!Array.isArray(blocks) || blocks.some((b) => typeof b !== 'string')) return 'blocks must be an array of strings';
  const decoded = vector === null ? undefined : decodeVector(Buffer.from(vector, 'base64'));
  if (vector !== null && decoded === undefined) return 'vector is not float32 data';
  return {
    entry: { id, key, partition, bytes, createdAt, expiresAt: expiresAt ?? Infinity, lastUsedAt, hits, value },
    vector: decoded,
    blocks: blocks as string[],
  };
}

async function* fromSqlite(path: string): AsyncGenerator<DumpRecord> {
  const db = openStoreFileReadOnly(path);
  try {
    const blocks = db.prepare('SELECT prompt_hash FROM blocks WHERE entry_id = ?').pluck();
    for (const row of db.prepare('SELECT * FROM entries ORDER BY id').iterate() as IterableIterator<Parameters<typeof entryOf>[0]>) {
      yield { entry: entryOf(row), vector: vectorOf(row.vector), blocks: blocks.all(row.id) as string[] };
    }
  } finally {
    db.close();
  }
}

async function* fromRedis(redis: Redis, keys: RedisKeys): AsyncGenerator<DumpRecord> {
  const prefixLength = keys.entry('').length;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.entryPattern, 'COUNT', 500);
    cursor = next;
    for (const full of found) {
      const fields = await redis.hmgetBuffer(full, ...ENTRY_FIELDS, 'vector');
      const entry = decodeEntry<unknown>(full.slice(prefixLength), fields.slice(0, ENTRY_FIELDS.length));
      if (entry !== undefined) yield { entry, vector: decodeVector(fields[ENTRY_FIELDS.length]), blocks: await redis.smembers(keys.blocks(entry.id)) };
    }
  } while (cursor !== '0');
}

export function readStore(spec: StoreSpec, redis?: { client: Redis; keys: RedisKeys }): AsyncGenerator<DumpRecord> {
  if (spec.kind === 'sqlite') return fromSqlite(spec.path);
  if (spec.kind === 'redis' && redis !== undefined) return fromRedis(redis.client, redis.keys);
  throw new Error('the memory store holds nothing outside a running semcache: export from a sqlite: or redis:// store');
}
