// semcache store stats|export|import|verify: the operator's view of the store SEMCACHE_STORE names
// (the same setting and default as `serve`). stats, export and verify read a SQLite file read-only,
// so they work beside a running server; import writes, so a SQLite target must not be in use.
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../config.js';
import { DEFAULT_SERVE_STORE, describeStore } from '../../config-store.js';
import type { LogSink } from '../../logger.js';
import { createStore } from '../../store/create-store.js';
import { redisKeys } from '../../store/redis/redis-keys.js';
import { dumpHeader, dumpLine, DUMP_FORMAT, parseDumpLine, readStore, type DumpRecord } from './store-dump.js';
import { verifyStore } from './store-verify.js';

export const STORE_USAGE = `Usage: semcache store <stats|export|import|verify> [--out FILE] [--in FILE] [--store ...]

  stats     entries, bytes, tenants, models, embedders, the saved index (JSON)
  export    every entry, its vector and feedback blocks as JSON lines (--out FILE, default stdout)
  import    entries from an export (--in FILE, default stdin) into the store; expired ones skipped
  verify    checks the store whole (SQLite integrity, every entry readable, the saved index); exit 1 on a problem

The store is SEMCACHE_STORE / --store (default ${DEFAULT_SERVE_STORE}, as for serve), e.g.
  semcache store export --store sqlite:./semcache-data/cache.db --out cache.jsonl
  semcache store import --store redis://127.0.0.1:6379 --in cache.jsonl`;

export interface StoreIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: NodeJS.ReadableStream;
}

const SUBCOMMANDS = ['stats', 'export', 'import', 'verify'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function takeFlag(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = argv.splice(at, 2);
  return value;
}

const quietLog: LogSink = { info: () => undefined, warn: () => undefined, error: () => undefined };

function redisOf(config: Config): { client: Redis; keys: ReturnType<typeof redisKeys> } | undefined {
  const { spec } = config.store;
  if (spec.kind !== 'redis') return undefined;
  return { client: new Redis(spec.url.href, { maxRetriesPerRequest: 1, retryStrategy: () => null }), keys: redisKeys(config.store.prefix) };
}

async function stats(config: Config, io: StoreIo): Promise<number> {
  const redis = redisOf(config);
  try {
    const count = <T>(map: Map<T, number>, key: T): void => void map.set(key, (map.get(key) ?? 0) + 1);
    const tenants = new Map<string, number>();
    const models = new Map<string, number>();
    const embedders = new Map<string, number>();
    let [entries, bytes, vectors, blocks, expired] = [0, 0, 0, 0, 0];
    let [oldest, newest] = [Infinity, -Infinity];
    const now = Date.now();
    for await (const { entry, vector, blocks: b } of readStore(config.store.spec, redis)) {
      const value = entry.value as { tenant?: string; model?: string; embedderId?: string };
      entries++;
      bytes += entry.bytes;
      vectors += vector === undefined ? 0 : 1;
      blocks += b.length;
      expired += entry.expiresAt <= now ? 1 : 0;
      oldest = Math.min(oldest, entry.createdAt);
      newest = Math.max(newest, entry.createdAt);
      count(tenants, value.tenant ?? '?');
      count(models, value.model ?? '?');
      count(embedders, value.embedderId ?? '?');
    }
    const { spec } = config.store;
    const manifest = config.store.indexDir === undefined ? undefined : join(config.store.indexDir, 'manifest.json');
    const report = {
      store: describeStore(spec),
      entries,
      bytes,
      with_vectors: vectors,
      feedback_blocks: blocks,
      expired_not_yet_removed: expired,
      tenants: tenants.size,
      models: Object.fromEntries(models),
      embedders: Object.fromEntries(embedders),
      oldest: Number.isFinite(oldest) ? new Date(oldest).toISOString() : null,
      newest: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
      ...(spec.kind === 'sqlite' ? { file_bytes: statSync(spec.path).size } : {}),
      saved_index:
        manifest !== undefined && existsSync(manifest)
          ? { manifest, saved_at: (JSON.parse(readFileSync(manifest, 'utf8')) as { savedAt: string }).savedAt }
          : null,
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } finally {
    redis?.client.disconnect();
  }
}

async function exportTo(config: Config, out: string | undefined, io: StoreIo): Promise<number> {
  const redis = redisOf(config);
  const sink = out === undefined ? io.stdout : createWriteStream(out, { mode: 0o600 });
  let n = 0;
  try {
    sink.write(`${dumpHeader(describeStore(config.store.spec), Date.now())}\n`);
    for await (const record of readStore(config.store.spec, redis)) {
      if (!sink.write(`${dumpLine(record)}\n`)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
      n++;
    }
  } finally {
    redis?.client.disconnect();
    if (sink !== io.stdout) await new Promise<void>((resolve) => sink.end(resolve));
  }
  io.stderr.write(`exported ${n} entries from ${describeStore(config.store.spec)}\n`);
  return 0;
}

async function importFrom(config: Config, input: string | undefined, io: StoreIo): Promise<number> {
  const { cache } = config;
  const store = await createStore<unknown>(config.store, {
    limits: { maxEntries: cache.maxEntries, maxBytes: cache.maxBytes, ttlMs: cache.ttlSeconds * 1000 },
    logger: quietLog,
  });
  await store.subscribe(() => undefined, { needsVector: () => false });
  const lines = createInterface({ input: input === undefined || input === '-' ? io.stdin : createReadStream(input), crlfDelay: Infinity });
  const counts = { imported: 0, expired: 0, refused: 0, bad: [] as string[] };
  let lineNo = 0;
  const now = Date.now();
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      if (lineNo === 1 && line.includes(`"format":"${DUMP_FORMAT}"`)) continue;
      const record: DumpRecord | string = parseDumpLine(line);
      if (typeof record === 'string') {
        if (counts.bad.length < 10) counts.bad.push(`line ${lineNo}: ${record}`);
        continue;
      }
      const { entry } = record;
      if (entry.expiresAt <= now) {
        counts.expired++;
        continue;
      }
      const kept = { createdAt: entry.createdAt, expiresAt: entry.expiresAt, lastUsedAt: entry.lastUsedAt, hits: entry.hits };
      const stored = store.insert({ key: entry.key, partition: entry.partition, bytes: entry.bytes, value: entry.value, vector: record.vector, kept });
      if (stored === undefined) {
        counts.refused++;
        continue;
      }
      for (const hash of record.blocks) await store.block(stored.id, hash);
      counts.imported++;
    }
  } finally {
    await store.close();
  }
  io.stderr.write(
    `imported ${counts.imported} entries into ${describeStore(config.store.spec)} (${counts.expired} expired skipped, ${counts.refused} refused by the store's bounds)\n`,
  );
  for (const problem of counts.bad) io.stderr.write(`  ${problem}\n`);
  return counts.bad.length > 0 ? 1 : 0;
}

export async function runStore(argv: readonly string[], io: StoreIo, env: NodeJS.ProcessEnv): Promise<number> {
  const rest = [...argv];
  const sub = rest.shift();
  if (sub === undefined || sub === '--help' || sub === 'help') {
    io.stdout.write(`${STORE_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    io.stderr.write(`unknown store command ${JSON.stringify(sub)}\n\n${STORE_USAGE}\n`);
    return 2;
  }
  const out = takeFlag(rest, '--out');
  const input = takeFlag(rest, '--in');
  const config = loadConfig(env, rest, { store: DEFAULT_SERVE_STORE });
  const run: Record<Subcommand, () => Promise<number>> = {
    stats: () => stats(config, io),
    export: () => exportTo(config, out, io),
    import: () => importFrom(config, input, io),
    verify: () => verifyStore(config, io),
  };
  return run[sub as Subcommand]();
}
