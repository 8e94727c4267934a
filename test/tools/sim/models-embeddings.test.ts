import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEmbeddingBase64, embeddingVector } from '../../../src/tools/sim/embedding-vector.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { postJson } from './sim-test-client.js';

let sim: SimUpstream;
beforeAll(async () => {
  sim = await startSimUpstream({ modelIds: ['sim-model', 'org/big-model'], embeddingDimensions: 32 });
});
afterAll(() => sim.close());

interface EmbeddingList<T> {
  object: string;
  data: Array<{ object: string; index: number; embedding: T }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

async function embed<T>(body: Record<string, unknown>): Promise<EmbeddingList<T>> {
  const response = await postJson(sim.origin, '/v1/embeddings', { model: 'sim-embed', ...body });
  expect(response.status).toBe(200);
  return (await response.json()) as EmbeddingList<T>;
}

describe('GET /v1/models', () => {
  it('lists the configured models', async () => {
    const response = await fetch(`${sim.url}/models`);
    expect(await response.json()).toEqual({
      object: 'list',
      data: [
        { id: 'sim-model', object: 'model', created: 1_700_000_000, owned_by: 'semcache-sim' },
        { id: 'org/big-model', object: 'model', created: 1_700_000_000, owned_by: 'semcache-sim' },
      ],
    });
  });

  it('returns one model by id, slashes included', async () => {
    const response = await fetch(`${sim.url}/models/org/big-model`);
    expect(await response.json()).toEqual({ id: 'org/big-model', object: 'model', created: 1_700_000_000, owned_by: 'semcache-sim' });
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const response = await fetch(`${sim.url}/models/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
  });
});

describe('POST /v1/embeddings', () => {
  it('returns float vectors of the configured dimension, unit length, one per input, with usage', async () => {
    const list = await embed<number[]>({ input: ['hello world', 'bye'] });
    expect(list.object).toBe('list');
    expect(list.model).toBe('sim-embed');
    expect(list.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 32],
      ['embedding', 1, 32],
    ]);
    expect(Math.hypot(...(list.data[0]?.embedding ?? []))).toBeCloseTo(1, 5);
    expect(list.data[0]?.embedding).toEqual(Array.from(embeddingVector('hello world', 32)));
    expect(list.usage).toEqual({ prompt_tokens: 3 + 1, total_tokens: 4 });
  });

  it('returns base64 that decodes to exactly the float form', async () => {
    const floats = await embed<number[]>({ input: 'same text', encoding_format: 'float' });
    const base64 = await embed<string>({ input: 'same text', encoding_format: 'base64' });
    expect(typeof base64.data[0]?.embedding).toBe('string');
    expect(Array.from(decodeEmbeddingBase64(base64.data[0]?.embedding ?? ''))).toEqual(floats.data[0]?.embedding);
  });

  it('honours the dimensions parameter', async () => {
    const list = await embed<number[]>({ input: 'short', dimensions: 8 });
    expect(list.data[0]?.embedding).toHaveLength(8);
  });

  it('refuses a missing input with 400', async () => {
    const response = await postJson(sim.origin, '/v1/embeddings', { model: 'sim-embed' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('input');
  });
});
