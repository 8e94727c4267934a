// What one replica knows of the fleet's entries: their ids, keys and partitions (its semantic index
// holds their vectors), and the feedback blocks. Fed by this replica's own writes at once, and by
// the others' through the change log, a Redis stream read with blocking reads. On start, and when
// the log was trimmed past what this replica read (a long outage), it resyncs from the entries
// themselves; entries Redis evicted are found by a slow background check and dropped.
import type { Redis } from 'ioredis';
import type { LogSink } from '../../logger.js';
import type { StoredEntry } from '../entry-store.js';
import { createFeedbackBlocks } from '../feedback-blocks.js';
import type { EvictReason, StoreChange, SubscribeOptions } from '../store.js';
import { decodeEntry, decodeVector, ENTRY_FIELDS } from './redis-codec.js';
import type { RedisKeys } from './redis-keys.js';

export interface Known {
  readonly key: string;
  readonly partition: string;
  readonly expiresAt: number;
  readonly bytes: number;
}

const READ_COUNT = 500;
const BLOCK_MS = 2_000;
const SCAN_COUNT = 500;

type Listener<V> = (change: StoreChange<V>) => void;

/** Stream ids are `<ms>-<seq>`; compares two. */
export function streamIdBefore(a: string, b: string): boolean {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am < bm || (am === bm && as < bs);
}

export function createRedisMirror<V>(options: { redis: Redis; follower: Redis; keys: RedisKeys; replica: string; logger: LogSink; now: () => number }) {
  const { redis, follower, keys, replica } = options;
  const known = new Map<number, Known>();
  const idOfKey = new Map<string, number>();
  const blocks = createFeedbackBlocks();
  let listener: Listener<V> = () => undefined;
  let needsVector: NonNullable<SubscribeOptions['needsVector']> = () => true;
  let bytes = 0;
  let position = '0-0';
  /** Milliseconds between an event's write and this replica applying it, for the last batch read. */
  let lagMs = 0;
  let following = false;
  let stopped = false;

  function remember(entry: StoredEntry<V>, vector: Float32Array | undefined): void {
    const previous = idOfKey.get(entry.key);
    if (previous !== undefined && previous !== entry.id) forget(previous, 'deleted');
    if (known.has(entry.id)) return;
    known.set(entry.id, { key: entry.key, partition: entry.partition, expiresAt: entry.expiresAt, bytes: entry.bytes });
    idOfKey.set(entry.key, entry.id);
    bytes += entry.bytes;
    listener({ kind: 'added', entry, vector });
  }

  function block(id: number, promptHash: string): void {
    blocks.block(id, promptHash);
    listener({ kind: 'blocked', entryId: id, promptHash });
  }

  function forget(id: number, reason: EvictReason): void {
    const entry = known.get(id);
    if (entry === undefined) return;
    known.delete(id);
    if (idOfKey.get(entry.key) === id) idOfKey.delete(entry.key);
    bytes -= entry.bytes;
    blocks.forget(id);
    listener({ kind: 'removed', id, partition: entry.partition, reason });
  }

  /** Entries by key, whole, with their vectors where the engine needs them; an entry Redis no longer
   * has is left out. Throws when a read failed (the command connection is down while the follower's
   * is up): the caller must not move past events whose entries it could not read. */
  async function fetch(
    keyList: readonly string[],
    withVector: (id: number, partition: string) => boolean,
  ): Promise<Array<{ entry: StoredEntry<V>; vector: Float32Array | undefined }>> {
    if (keyList.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const key of keyList) pipeline.hmgetBuffer(keys.entry(key), ...ENTRY_FIELDS, 'vector');
    const replies = (await pipeline.exec()) ?? [];
    const found: Array<{ entry: StoredEntry<V>; vector: Float32Array | undefined }> = [];
    const failed = replies.find(([error]) => error !== null)?.[0];
    if (failed !== undefined && failed !== null) throw failed;
    replies.forEach(([, fields], i) => {
      const values = fields as Array<Buffer | null> | null;
      if (values === null) return;
      const entry = decodeEntry<V>(keyList[i] ?? '', values.slice(0, ENTRY_FIELDS.length));
      if (entry !== undefined) found.push({ entry, vector: withVector(entry.id, entry.partition) ? decodeVector(values[ENTRY_FIELDS.length]) : undefined });
    });
    return found;
  }

  /** Every entry and block in Redis, from scratch; what this replica knew and Redis no longer has is dropped. */
  async function resync(): Promise<void> {
    const latest = (await redis.xrevrange(keys.log, '+', '-', 'COUNT', 1))[0];
    const seen = new Set<number>();
    const prefixLength = keys.entry('').length;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', keys.entryPattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      const fetched = await fetch(
        found.map((key) => key.slice(prefixLength)),
        (id, partition) => !known.has(id) && needsVector(id, partition),
      );
      for (const { entry, vector } of fetched) {
        seen.add(entry.id);
        remember(entry, vector);
      }
    } while (cursor !== '0');
    for (const id of [...known.keys()]) if (!seen.has(id)) forget(id, 'deleted');
    const blocksPrefix = keys.blocks(0).slice(0, -1);
    cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${blocksPrefix}*`, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (const key of found) {
        const id = Number(key.slice(blocksPrefix.length));
        if (known.has(id)) for (const hash of await redis.smembers(key)) blocks.block(id, hash);
      }
    } while (cursor !== '0');
    position = latest?.[0] ?? '0-0';
  }

  async function apply(events: ReadonlyArray<[string, string[]]>): Promise<void> {
    const fields = events.map(([id, flat]) => {
      const map = new Map<string, string>();
      for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i] ?? '', flat[i + 1] ?? '');
      return { streamId: id, map };
    });
    const theirs = fields.filter(({ map }) => map.get('by') !== replica);
    const stored = await fetch(
      theirs.filter(({ map }) => map.get('op') === 'stored').map(({ map }) => map.get('key') ?? ''),
      () => true,
    );
    const byId = new Map(stored.map((s) => [s.entry.id, s]));
    for (const { map } of theirs) {
      const id = Number(map.get('id'));
      const op = map.get('op');
      if (op === 'stored') {
        const found = byId.get(id);
        if (found !== undefined) remember(found.entry, found.vector);
      } else if (op === 'deleted') forget(id, 'deleted');
      else if (op === 'blocked') block(id, map.get('hash') ?? '');
      else if (op === 'cleared') for (const knownId of [...known.keys()]) forget(knownId, 'flushed');
    }
    const last = fields.at(-1);
    if (last !== undefined) {
      position = last.streamId;
      lagMs = Math.max(0, options.now() - Number(last.streamId.split('-')[0]));
    }
  }

  /** After an outage: resumes from where this replica stopped, or resyncs when the log was trimmed
   * past it, or is gone (Redis restarted empty, or was flushed). */
  async function catchUp(): Promise<void> {
    if (position === '0-0') return;
    let first: string | undefined;
    try {
      const info = (await redis.call('XINFO', 'STREAM', keys.log)) as unknown[];
      const at = info.indexOf('first-entry');
      first = at >= 0 ? (info[at + 1] as [string] | null)?.[0] : undefined;
    } catch (error) {
      if (!/no such key/i.test((error as Error).message)) throw error;
      options.logger.warn({ readUpTo: position }, 'change log gone (Redis restarted empty or flushed): resyncing from the entries');
      await resync();
      return;
    }
    if (first !== undefined && streamIdBefore(position, first)) {
      options.logger.warn({ readUpTo: position, logStartsAt: first }, 'change log trimmed past this replica: resyncing from the entries');
      await resync();
    }
  }

  async function follow(): Promise<void> {
    while (!stopped) {
      try {
        const reply = (await follower.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', keys.log, position)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        const events = reply?.[0]?.[1] ?? [];
        if (events.length === 0) lagMs = 0;
        else await apply(events);
      } catch {
        if (stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        await catchUp().catch(() => undefined);
      }
    }
  }

  return {
    known,
    blocks,
    idOfKey,
    remember,
    forget,
    block,
    get bytes() {
      return bytes;
    },
    get lagMs() {
      return lagMs;
    },
    async start(onChange: Listener<V>, subscribe: SubscribeOptions): Promise<void> {
      listener = onChange;
      needsVector = subscribe.needsVector ?? (() => true);
      try {
        await resync();
      } catch (error) {
        options.logger.error({ err: error }, 'redis unreachable at start: the mirror fills when it is back');
      }
      if (!following) {
        following = true;
        void follow();
      }
    },
    catchUp,
    /** Drops entries Redis no longer has (evicted under maxmemory, or expired unread). */
    async reconcile(): Promise<number> {
      let dropped = 0;
      const now = options.now();
      const entries = [...known.entries()];
      for (let i = 0; i < entries.length; i += SCAN_COUNT) {
        const chunk = entries.slice(i, i + SCAN_COUNT);
        const pipeline = redis.pipeline();
        for (const [, entry] of chunk) pipeline.exists(keys.entry(entry.key));
        const replies = (await pipeline.exec()) ?? [];
        chunk.forEach(([id, entry], j) => {
          const [error, exists] = replies[j] ?? [null, 1];
          if (error === null && (exists === 0 || entry.expiresAt <= now)) {
            forget(id, entry.expiresAt <= now ? 'ttl' : 'lru-bytes');
            dropped++;
          }
        });
      }
      return dropped;
    },
    stop(): void {
      stopped = true;
    },
  };
}

export type RedisMirror<V> = ReturnType<typeof createRedisMirror<V>>;
