// The semantic index saved and read back by the engine: searches answer the same after a restart;
// what the store lost since is dropped, what the index lacks is indexed in the background; a
// changed, truncated or other model's file is not read, and its partition is rebuilt.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCacheEngine, type CacheEngine, type EntryValue } from '../../src/cache/cache-engine.js';
import { createGuardStage } from '../../src/cache/guards/index.js';
import type { RequestKey } from '../../src/cache/request-key.js';
import type { Embedder } from '../../src/embed/embedder.js';
import type { CachedCompletion } from '../../src/openai/cached-completion.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { createVectorSource } from '../index/random-vectors.js';
import { silentLog } from '../store/store-fixtures.js';

const DIM = 16;
const COUNT = 40;
const source = createVectorSource(DIM, 7);
const vectors = Array.from({ length: COUNT }, () => source.unit());
const textOf = (i: number): string => `prompt ${i}`;
const byText = new Map(vectors.map((v, i) => [textOf(i), v]));
const embedder: Embedder = {
  modelId: 'test-16',
  dimension: DIM,
  embed: async (texts) => texts.map((t) => byText.get(t) ?? new Float32Array(DIM)),
  embedTimed: async (texts) => ({ vectors: texts.map((t) => byText.get(t) ?? new Float32Array(DIM)), computeMs: 0 }),
  close: async () => undefined,
};
const completion: CachedCompletion = {
  endpoint: 'chat',
  model: 'm',
  systemFingerprint: null,
  choices: [{ index: 0, finishReason: 'stop', message: { role: 'assistant', content: 'x' } }],
  usage: undefined,
};
const key = (text: string): RequestKey => ({ semanticText: text, promptText: text, context: 'ctx', exactKey: `exact:${text}`, bypassReason: undefined });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function paths() {
  const dir = mkdtempSync(join(tmpdir(), 'semcache-snapshot-'));
  dirs.push(dir);
  return { db: join(dir, 'cache.db'), index: join(dir, 'index') };
}

/** An engine over a SQLite file whose partitions become HNSW past 8 vectors, as past 1,024 in production. */
async function engineOn(db: string, options: { indexDir?: string; model?: Embedder } = {}) {
  const store = openSqliteStore<EntryValue>({ path: db, maxEntries: 1000, maxBytes: 1e9, ttlMs: 0, onBadFile: 'fail', logger: silentLog(), flushMs: 5 });
  const engine = createCacheEngine({ semanticEnabled: true, embedder: options.model ?? embedder, guards: createGuardStage([]), store, promoteAt: 8 });
  const snapshot = await engine.open({ indexDir: options.indexDir });
  return { engine, store, snapshot };
}

async function nearestIds(engine: CacheEngine): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < COUNT; i++) {
    const result = await engine.lookup({ ...key(textOf(i)), exactKey: 'never-stored' }, 0.99);
    ids.push(result.kind === 'semantic-hit' ? result.entry.id : -1);
  }
  return ids;
}

async function settled(engine: CacheEngine): Promise<void> {
  while (engine.indexLag() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the saved semantic index', () => {
  it('is read back, so every prompt finds its own entry again without re-indexing', async () => {
    const { db, index } = paths();
    const first = await engineOn(db, { indexDir: index });
    for (let i = 0; i < COUNT; i++) first.engine.store(key(textOf(i)), completion, vectors[i], { tenant: 't', model: 'm' });
    const before = await nearestIds(first.engine);
    await first.engine.saveIndex(index);
    await first.store.close();
    expect(statSync(join(index, 'manifest.json')).mode & 0o777).toBe(0o600);

    const second = await engineOn(db, { indexDir: index });
    expect(second.snapshot).toEqual({ restored: 1, vectors: COUNT, problems: [] });
    expect(second.engine.indexLag()).toBe(0);
    expect(await nearestIds(second.engine)).toEqual(before);
    expect(before.every((id) => id > 0)).toBe(true);
    await second.store.close();
  });

  it('drops what the store lost since it was saved, and indexes in the background what it lacks', async () => {
    const { db, index } = paths();
    const first = await engineOn(db, { indexDir: index });
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(first.engine.store(key(textOf(i)), completion, vectors[i], { tenant: 't', model: 'm' })?.id ?? -1);
    await first.engine.saveIndex(index);
    await first.engine.delete(ids[3] ?? -1);
    for (let i = 20; i < COUNT; i++) first.engine.store(key(textOf(i)), completion, vectors[i], { tenant: 't', model: 'm' });
    await first.store.close();

    const second = await engineOn(db, { indexDir: index });
    expect(second.engine.indexLag()).toBe(20);
    await settled(second.engine);
    expect(second.engine.stats().vectors).toBe(COUNT - 1);
    const found = await nearestIds(second.engine);
    expect(found[3]).toBe(-1);
    expect(found.filter((id) => id > 0)).toHaveLength(COUNT - 1);
    await second.store.close();
  });

  it('is not read when a file changed or belongs to another model: the partition is rebuilt', async () => {
    const { db, index } = paths();
    const first = await engineOn(db, { indexDir: index });
    for (let i = 0; i < COUNT; i++) first.engine.store(key(textOf(i)), completion, vectors[i], { tenant: 't', model: 'm' });
    await first.engine.saveIndex(index);
    await first.store.close();
    const hnsw = readdirSync(index).find((name) => name.endsWith('.hnsw'));
    writeFileSync(join(index, hnsw ?? 'missing'), 'truncated');

    const damaged = await engineOn(db, { indexDir: index });
    expect(damaged.snapshot?.restored).toBe(0);
    expect(damaged.snapshot?.problems).toEqual([`${hnsw}: checksum differs from the manifest`]);
    await settled(damaged.engine);
    expect((await nearestIds(damaged.engine)).filter((id) => id > 0)).toHaveLength(COUNT);
    await damaged.engine.saveIndex(index);
    await damaged.store.close();

    const otherModel = await engineOn(db, { indexDir: index, model: { ...embedder, modelId: 'another-16' } });
    expect(otherModel.snapshot).toEqual({ restored: 0, vectors: 0, problems: ['saved for test-16 (16-d), not another-16'] });
    await otherModel.store.close();
  });

  it('keeps entries another model made as exact hits, and never indexes their vectors', async () => {
    const { db, index } = paths();
    const first = await engineOn(db, { indexDir: index });
    first.engine.store(key(textOf(0)), completion, vectors[0], { tenant: 't', model: 'm' });
    await first.store.close();
    const wider: Embedder = { ...embedder, modelId: 'wider-32', dimension: 32 };
    const second = await engineOn(db, { model: wider });
    await settled(second.engine);
    expect(second.engine.stats()).toMatchObject({ entries: 1, vectors: 0 });
    expect((await second.engine.lookup(key(textOf(0)), 0.99)).kind).toBe('exact-hit');
    await second.store.close();
  });
});
