// `semcache store`: stats and export read a SQLite cache (read-only, beside a server), export/import
// moves a warm cache from SQLite to Redis and to another file with times, vectors and blocks kept,
// and verify finds a damaged entry.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../../src/store/redis/redis-store.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { runStore } from '../../../src/tools/store/store-command.js';
import { dropPrefix, sharedRedisReachable, testPrefix, TEST_REDIS_URL } from '../../helpers/redis.js';
import { silentLog } from '../../store/store-fixtures.js';

const redisUp = await sharedRedisReachable();
const dir = mkdtempSync(join(tmpdir(), 'semcache-store-cmd-'));
const prefix = testPrefix();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (redisUp) await dropPrefix(TEST_REDIS_URL, prefix);
});

interface Value {
  text: string;
  tenant: string;
  model: string;
  embedderId: string;
  hasVector: boolean;
  completion: { choices: string[] };
}

const value = (text: string, hasVector: boolean): Value => ({
  text,
  tenant: 'key:abc',
  model: 'm1',
  embedderId: 'use-lite',
  hasVector,
  completion: { choices: [`answer to ${text}`] },
});

async function run(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let [out, err] = ['', ''];
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runStore(args, { stdout, stderr, stdin: Readable.from([stdin]) }, env);
  return { code, out, err };
}

async function seed(path: string): Promise<void> {
  const store = openSqliteStore<Value>({ path, maxEntries: 100, maxBytes: 1e9, ttlMs: 0, onBadFile: 'fail', logger: silentLog(), flushMs: 5 });
  await store.subscribe(() => undefined);
  const a = store.insert({ key: 'ka', partition: 'p1', bytes: 300, value: value('alpha', true), vector: Float32Array.from([0.6, 0.8]) });
  store.insert({ key: 'kb', partition: 'p1', bytes: 200, value: value('beta', false), vector: undefined });
  await store.getByKey('ka', { touch: true });
  await store.block(a?.id ?? -1, 'blocked-hash');
  await store.close();
}

describe('semcache store', () => {
  const source = join(dir, 'source.db');

  it('reports stats of a SQLite cache', async () => {
    await seed(source);
    const { code, out } = await run(['stats', '--store', `sqlite:${source}`]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      store: `sqlite:${source}`,
      entries: 2,
      bytes: 500,
      with_vectors: 1,
      feedback_blocks: 1,
      tenants: 1,
      models: { m1: 2 },
      embedders: { 'use-lite': 2 },
    });
  });

  it('exports entries as JSON lines with their vectors, hits and blocks', async () => {
    const file = join(dir, 'export.jsonl');
    const { code, err } = await run(['export', '--store', `sqlite:${source}`, '--out', file]);
    expect([code, err]).toEqual([0, `exported 2 entries from sqlite:${source}\n`]);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ format: 'semcache-export', version: 1 });
    expect(lines.slice(1).map((l) => [l.key, l.hits, l.blocks])).toEqual([
      ['ka', 1, ['blocked-hash']],
      ['kb', 0, []],
    ]);
    expect(Buffer.from(lines[1]?.vector as string, 'base64').byteLength).toBe(8);
  });

  it('imports an export into another SQLite file, skipping expired entries and reporting bad lines', async () => {
    const file = join(dir, 'export.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const expired = JSON.stringify({ ...JSON.parse(lines[2] ?? '{}'), key: 'old', expires_at: 1000 });
    writeFileSync(join(dir, 'with-extra.jsonl'), [...lines, expired, '{"not":"an entry"}'].join('\n'));
    const target = join(dir, 'target.db');
    const { code, err } = await run(['import', '--store', `sqlite:${target}`, '--in', join(dir, 'with-extra.jsonl')]);
    expect(code).toBe(1);
    expect(err).toContain(`imported 2 entries into sqlite:${target} (1 expired skipped, 0 refused by the store's bounds)`);
    expect(err).toContain('line 5: missing or mistyped id, key, partition, bytes, created_at, last_used_at or hits');
    const store = openSqliteStore<Value>({ path: target, maxEntries: 100, maxBytes: 1e9, ttlMs: 0, onBadFile: 'fail', logger: silentLog(), flushMs: 5 });
    const vectors: Array<Float32Array | undefined> = [];
    await store.subscribe((c) => void (c.kind === 'added' && vectors.push(c.vector)));
    const a = await store.getByKey('ka');
    expect(a).toMatchObject({ hits: 1, value: value('alpha', true) });
    expect(store.isBlocked(a?.id ?? -1, 'blocked-hash')).toBe(true);
    expect(vectors).toContainEqual(Float32Array.from([0.6, 0.8]));
    await store.close();
  });

  it.skipIf(!redisUp)('moves a warm cache from SQLite to Redis', async () => {
    const exported = await run(['export', '--store', `sqlite:${source}`]);
    const imported = await run(['import', '--store', TEST_REDIS_URL, '--store-prefix', prefix], {}, exported.out);
    expect(imported.code).toBe(0);
    const redis = await openRedisStore<Value>({
      url: new URL(TEST_REDIS_URL),
      prefix,
      ttlMs: 0,
      maxEntryBytes: 1e9,
      logLength: 1000,
      logger: silentLog(),
      describe: 'test',
      reconcileMs: 0,
    });
    await redis.subscribe(() => undefined);
    const a = await redis.getByKey('ka');
    expect(a).toMatchObject({ hits: 1, value: value('alpha', true) });
    expect(redis.isBlocked(a?.id ?? -1, 'blocked-hash')).toBe(true);
    await redis.close();
    const stats = await run(['stats', '--store', TEST_REDIS_URL, '--store-prefix', prefix]);
    expect(JSON.parse(stats.out)).toMatchObject({ entries: 2, with_vectors: 1, feedback_blocks: 1 });
  });

  it('verifies a sound file, and finds an entry whose vector is damaged', async () => {
    const sound = await run(['verify', '--store', `sqlite:${source}`]);
    expect(sound.code).toBe(0);
    expect(JSON.parse(sound.out)).toMatchObject({ ok: true });
    const db = new Database(source);
    db.prepare("UPDATE entries SET vector = x'0102030405' WHERE key = 'ka'").run();
    db.close();
    const damaged = await run(['verify', '--store', `sqlite:${source}`]);
    expect(damaged.code).toBe(1);
    expect((JSON.parse(damaged.out) as { checks: Array<{ check: string; ok: boolean }> }).checks.filter((c) => !c.ok).map((c) => c.check)).toEqual([
      'entries readable',
    ]);
  });
});
