import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHnswIndex, loadHnswIndex } from '../../src/index/hnsw-index.js';
import { createVectorSource } from './random-vectors.js';

const DIM = 32;
const folders: string[] = [];

function indexFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'semcache-hnsw-save-'));
  folders.push(dir);
  return join(dir, 'index.hnsw');
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function nearest(index: { search(v: Float32Array, k: number): { label: number }[] }, vector: Float32Array | undefined): number | undefined {
  return index.search(vector ?? new Float32Array(DIM), 1)[0]?.label;
}

describe('saving an HNSW index while it serves', () => {
  it('lets the event loop run during the write', async () => {
    const source = createVectorSource(DIM, 3);
    const index = createHnswIndex({ dimension: DIM });
    for (let label = 0; label < 200; label++) index.add(label, source.unit());
    let turned = false;

    const saving = index.save(indexFile());
    setImmediate(() => {
      turned = true;
    });
    await saving;

    expect(turned).toBe(true);
  });

  it('answers with the changes made during the write, and applies them when it ends', async () => {
    const source = createVectorSource(DIM, 11);
    const index = createHnswIndex({ dimension: DIM });
    const vectors = Array.from({ length: 200 }, () => source.unit());
    vectors.forEach((vector, label) => index.add(label, vector));
    const added = Array.from({ length: 20 }, () => source.unit());
    const moved = source.unit();

    const saving = index.save(indexFile());
    added.forEach((vector, i) => index.add(1000 + i, vector));
    index.remove(5);
    index.add(7, moved);
    await new Promise((resolve) => setImmediate(resolve));
    index.remove(1019); // added during the write, then removed during it

    const during = { size: index.size, labels: [...index.labels()].sort((a, b) => a - b) };
    expect(during.size).toBe(200 - 1 + 19);
    expect(during.labels).toHaveLength(during.size);
    expect(index.has(5)).toBe(false);
    expect(index.has(1019)).toBe(false);
    expect(index.has(1003)).toBe(true);
    expect(nearest(index, added[3])).toBe(1003);
    expect(nearest(index, moved)).toBe(7);
    expect(nearest(index, vectors[5])).not.toBe(5);
    expect(nearest(index, vectors[7])).not.toBe(7);
    expect(index.search(moved, 3)).toHaveLength(3);

    await saving;

    expect(index.size).toBe(during.size);
    expect([...index.labels()].sort((a, b) => a - b)).toEqual(during.labels);
    expect(nearest(index, added[3])).toBe(1003);
    expect(nearest(index, moved)).toBe(7);
    expect(nearest(index, vectors[5])).not.toBe(5);
    expect(nearest(index, added[19])).not.toBe(1019);
  });

  it('writes the index as it was when the save began', async () => {
    const source = createVectorSource(DIM, 12);
    const index = createHnswIndex({ dimension: DIM });
    const vectors = Array.from({ length: 100 }, () => source.unit());
    vectors.forEach((vector, label) => index.add(label, vector));
    const file = indexFile();

    const saving = index.save(file);
    index.remove(5);
    index.add(7, source.unit());
    index.add(500, source.unit());
    await saving;
    const loaded = loadHnswIndex(file, { dimension: DIM });

    expect(loaded.size).toBe(100);
    expect(loaded.has(5)).toBe(true);
    expect(loaded.has(500)).toBe(false);
    expect(nearest(loaded, vectors[7])).toBe(7);
    expect(nearest(loaded, vectors[5])).toBe(5);
  });

  it('refuses a second save while one is being written, and saves again once it is done', async () => {
    const source = createVectorSource(DIM, 13);
    const index = createHnswIndex({ dimension: DIM });
    for (let label = 0; label < 50; label++) index.add(label, source.unit());

    const first = index.save(indexFile());
    await expect(index.save(indexFile())).rejects.toThrow(/already being saved/);
    await first;
    const file = indexFile();
    await index.save(file);

    expect(loadHnswIndex(file, { dimension: DIM }).size).toBe(50);
  });

  it('applies the changes made during a write that failed', async () => {
    const source = createVectorSource(DIM, 14);
    const index = createHnswIndex({ dimension: DIM });
    for (let label = 0; label < 50; label++) index.add(label, source.unit());
    const late = source.unit();

    const saving = index.save(join(indexFile(), 'no-such-folder', 'index.hnsw'));
    index.add(99, late);
    index.remove(0);
    await expect(saving).rejects.toThrow();

    expect(index.size).toBe(50);
    expect(nearest(index, late)).toBe(99);
    expect(index.has(0)).toBe(false);
  });
});
