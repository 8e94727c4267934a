import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, pipeline } from '@huggingface/transformers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBackend, type EmbedBackend } from '../../src/embed/embed-backend.js';
import { maxAbsDifference, norm } from './vector-math.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-minilm', import.meta.url));

describe('transformers.js backend', () => {
  let backend: EmbedBackend;

  beforeAll(async () => {
    backend = await loadBackend({ kind: 'transformers', model: FIXTURE, allowRemote: false });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('loads a local model folder with remote loading off and reads its dimension from the output', () => {
    expect(backend.dimension).toBe(32);
    expect(backend.modelId).toBe('transformers:tiny-minilm-32');
  });

  it('returns unit-length vectors of the model dimension', async () => {
    const vectors = await backend.embed(['hello world', 'how do I reset my password?']);
    expect(vectors.map((v) => v.length)).toEqual([32, 32]);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('is deterministic: the same text gives the identical vector', async () => {
    const [a] = await backend.embed(['the price of the order']);
    const [b] = await backend.embed(['the price of the order']);
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
  });

  it('mean-pools last_hidden_state over the tokens, then normalises', async () => {
    const text = 'thank you for the fast delivery';
    env.allowRemoteModels = false;
    const raw = await pipeline('feature-extraction', FIXTURE, { dtype: 'fp32', device: 'cpu' });
    const hidden = await raw([text]); // no pooling: [1, tokens, 32]
    const [, tokens = 0, width = 0] = hidden.dims;
    const data = hidden.data as Float32Array;
    const mean = new Float32Array(width);
    for (let t = 0; t < tokens; t++) {
      for (let d = 0; d < width; d++) mean[d] = (mean[d] ?? 0) + (data[t * width + d] ?? 0) / tokens;
    }
    const length = norm(mean);
    const expected = mean.map((v) => v / length);

    const [actual] = await backend.embed([text]);
    expect(tokens).toBe(8); // [CLS] + 6 words + [SEP]
    expect(maxAbsDifference(actual ?? new Float32Array(), expected)).toBeLessThan(1e-5);
  });

  it('ignores padding: a short text gets the same vector alone and batched with a longer one', async () => {
    const [alone] = await backend.embed(['hi']);
    const [batched] = await backend.embed(['hi', 'a much longer question about the weather in london tomorrow']);
    expect(maxAbsDifference(alone ?? new Float32Array(), batched ?? new Float32Array())).toBeLessThan(1e-5);
  });

  it('fails clearly, without any network request, for a hub id not on disk when remote loading is off', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cacheDir = mkdtempSync(join(tmpdir(), 'semcache-hf-cache-'));
    await expect(loadBackend({ kind: 'transformers', model: 'Xenova/all-MiniLM-L6-v2', allowRemote: false, cacheDir })).rejects.toThrow(
      /allowRemoteModels=false.*not found locally/,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('fails clearly for a local folder that does not exist', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(loadBackend({ kind: 'transformers', model: join(tmpdir(), 'semcache-no-such-model'), allowRemote: false })).rejects.toThrow(
      /not found locally at ".*semcache-no-such-model/,
    );
  });
});
