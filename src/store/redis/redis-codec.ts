// An entry as a Redis hash: numbers as decimal strings, the value as JSON, the vector as raw
// little-endian float32 bytes. Every field is written in one HSET, so a reader sees all or none.
import type { StoredEntry } from '../entry-store.js';

export type EntryHash = Record<string, string | Buffer>;

export function encodeEntry<V>(entry: StoredEntry<V>, vector: Float32Array | undefined): EntryHash {
  const hash: EntryHash = {
    id: String(entry.id),
    partition: entry.partition,
    bytes: String(entry.bytes),
    createdAt: String(entry.createdAt),
    expiresAt: Number.isFinite(entry.expiresAt) ? String(entry.expiresAt) : 'never',
    lastUsedAt: String(entry.lastUsedAt),
    hits: String(entry.hits),
    value: JSON.stringify(entry.value),
  };
  if (vector !== undefined) hash.vector = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  return hash;
}

const FIELDS = ['id', 'partition', 'bytes', 'createdAt', 'expiresAt', 'lastUsedAt', 'hits', 'value'] as const;
/** The fields read for an entry, in order (HMGET), without its vector. */
export const ENTRY_FIELDS: readonly string[] = FIELDS;

/** An entry from HMGET of ENTRY_FIELDS (as buffers or strings); undefined when it is gone or not whole. */
export function decodeEntry<V>(key: string, fields: ReadonlyArray<string | Buffer | null>): StoredEntry<V> | undefined {
  if (fields.length < FIELDS.length || fields.some((f) => f === null)) return undefined;
  const text = fields.map((f) => (Buffer.isBuffer(f) ? f.toString('utf8') : (f as string)));
  const [id, partition, bytes, createdAt, expiresAt, lastUsedAt, hits, value] = text as [string, string, string, string, string, string, string, string];
  try {
    return {
      id: Number(id),
      key,
      partition,
      bytes: Number(bytes),
      createdAt: Number(createdAt),
      expiresAt: expiresAt === 'never' ? Infinity : Number(expiresAt),
      lastUsedAt: Number(lastUsedAt),
      hits: Number(hits),
      value: JSON.parse(value) as V,
    };
  } catch {
    return undefined;
  }
}

export function decodeVector(raw: Buffer | null | undefined): Float32Array | undefined {
  if (raw === null || raw === undefined || raw.byteLength % 4 !== 0) return undefined;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}
