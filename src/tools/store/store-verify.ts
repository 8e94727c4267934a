// semcache store verify: the store checked whole. SQLite: the file's own integrity check, every entry
// readable (its value JSON, its vector a whole number of floats of one dimension per embedder), no
// block without its entry. Redis: every entry readable and found again by its id. Both: the saved
// semantic index's files match their checksums. Prints a JSON report; 1 when something is wrong.
import type { Config } from '../../config.js';
import { describeStore } from '../../config-store.js';
import { checkSnapshot } from '../../cache/index-snapshot.js';
import { openStoreFileReadOnly } from '../../store/sqlite-file.js';
import { redisKeys } from '../../store/redis/redis-keys.js';
import { Redis } from 'ioredis';
import { readStore } from './store-dump.js';
import type { StoreIo } from './store-command.js';

interface Check {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

function sqliteIntegrity(path: string): Check[] {
  const db = openStoreFileReadOnly(path);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const orphans = db.prepare('SELECT count(*) FROM blocks WHERE entry_id NOT IN (SELECT id FROM entries)').pluck().get() as number;
    return [
      { check: 'sqlite integrity_check', ok: integrity === 'ok', detail: String(integrity) },
      { check: 'feedback blocks have their entries', ok: orphans === 0, detail: `${orphans} orphan blocks` },
    ];
  } finally {
    db.close();
  }
}

async function entriesReadable(config: Config, redis: { client: Redis; keys: ReturnType<typeof redisKeys> } | undefined): Promise<Check[]> {
  const dimensions = new Map<string, Set<number>>();
  let [entries, unreadable, lost] = [0, 0, 0];
  try {
    for await (const { entry, vector } of readStore(config.store.spec, redis)) {
      entries++;
      const value = entry.value as { embedderId?: unknown; completion?: unknown; hasVector?: unknown };
      if (typeof value.embedderId !== 'string' || typeof value.completion !== 'object' || (value.hasVector === true) !== (vector !== undefined)) unreadable++;
      if (vector !== undefined && typeof value.embedderId === 'string') {
        const seen = dimensions.get(value.embedderId) ?? new Set<number>();
        seen.add(vector.length);
        dimensions.set(value.embedderId, seen);
      }
      if (redis !== undefined && (await redis.client.get(redis.keys.byId(entry.id))) !== entry.key) lost++;
    }
  } catch (error) {
    return [{ check: 'entries readable', ok: false, detail: (error as Error).message }];
  }
  const mixed = [...dimensions].filter(([, dims]) => dims.size > 1).map(([model, dims]) => `${model}: ${[...dims].join(', ')}`);
  return [
    { check: 'entries readable', ok: unreadable === 0, detail: `${entries} entries, ${unreadable} with a malformed value or vector` },
    {
      check: 'one vector dimension per embedder',
      ok: mixed.length === 0,
      detail: mixed.length === 0 ? [...dimensions].map(([m, d]) => `${m}: ${[...d][0]}`).join('; ') || 'no vectors' : mixed.join('; '),
    },
    ...(redis === undefined ? [] : [{ check: 'entries found by id', ok: lost === 0, detail: `${lost} entries whose id key is missing or points elsewhere` }]),
  ];
}

export async function verifyStore(config: Config, io: StoreIo): Promise<number> {
  const { spec, indexDir } = config.store;
  const redis =
    spec.kind === 'redis'
      ? { client: new Redis(spec.url.href, { maxRetriesPerRequest: 1, retryStrategy: () => null }), keys: redisKeys(config.store.prefix) }
      : undefined;
  const checks: Check[] = [];
  try {
    if (spec.kind === 'sqlite') checks.push(...sqliteIntegrity(spec.path));
    checks.push(...(await entriesReadable(config, redis)));
  } finally {
    redis?.client.disconnect();
  }
  if (indexDir !== undefined) {
    const snapshot = checkSnapshot(indexDir);
    checks.push({
      check: 'saved index matches its checksums',
      ok: snapshot.problems.length === 0,
      detail: snapshot.found
        ? `${snapshot.partitions} partitions${snapshot.problems.length > 0 ? `: ${snapshot.problems.join('; ')}` : ''}`
        : 'no saved index (rebuilt at start)',
    });
  }
  const ok = checks.every((c) => c.ok);
  io.stdout.write(`${JSON.stringify({ store: describeStore(spec), ok, checks }, null, 2)}\n`);
  return ok ? 0 : 1;
}
