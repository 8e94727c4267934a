// USE-lite on onnxruntime against the reference, the same model on TensorFlow.js: the ONNX graph is
// translated from the TF.js one (src/embed/use-onnx/), so the vectors must agree; bench/embedder-bench.mjs
// checks every text of both dev files the same way.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type EmbedBackend } from '../../src/embed/embed-backend.js';
import { dot, maxAbsDifference, norm } from './vector-math.js';

const SAMPLE = (JSON.parse(readFileSync(new URL('./fixtures/use-sample.json', import.meta.url), 'utf8')) as { texts: string[] }).texts;

describe('USE-lite backend on onnxruntime (in-thread)', () => {
  let onnx: EmbedBackend;
  let tfjs: EmbedBackend;

  beforeAll(async () => {
    [onnx, tfjs] = await Promise.all([loadBackend({ kind: 'use' }), loadBackend({ kind: 'use-tfjs' })]);
  });

  it('has the model id and dimension of the TF.js backend, so entries and thresholds carry over', () => {
    expect(onnx.modelId).toBe('use-lite-512');
    expect(onnx.modelId).toBe(tfjs.modelId);
    expect(onnx.dimension).toBe(512);
  });

  it('gives the TF.js vectors (cosine >= 0.9999) for every text of the sample, batched as the pool batches', async () => {
    const cosines: number[] = [];
    for (let start = 0; start < SAMPLE.length; start += 16) {
      const texts = SAMPLE.slice(start, start + 16);
      const [fromOnnx, fromTfjs] = await Promise.all([onnx.embed(texts), tfjs.embed(texts)]);
      texts.forEach((_, i) => cosines.push(dot(fromOnnx[i] ?? new Float32Array(), fromTfjs[i] ?? new Float32Array())));
    }
    expect(cosines).toHaveLength(SAMPLE.length);
    expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.9999);
  });

  it('gives a text the same vector alone and inside a batch', async () => {
    const texts = ['first text', 'a second, longer text about something else entirely', 'third'];
    const batched = await onnx.embed(texts);
    const [alone] = await onnx.embed([texts[1] ?? '']);
    expect(maxAbsDifference(batched[1] ?? new Float32Array(), alone ?? new Float32Array())).toBeLessThan(1e-5);
    for (const vector of batched) expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('keeps one vector per text when the last text is empty, as the TF.js backend does', async () => {
    const vectors = await onnx.embed(['first', '']);
    const [reference] = (await tfjs.embed(['first', ''])).slice(1);
    expect(vectors).toHaveLength(2);
    expect(dot(vectors[1] ?? new Float32Array(), reference ?? new Float32Array())).toBeGreaterThanOrEqual(0.9999);
  });

  it('returns no vectors for no texts', async () => {
    expect(await onnx.embed([])).toEqual([]);
  });
});
