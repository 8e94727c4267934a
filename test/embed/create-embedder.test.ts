import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/embed/create-embedder.js';
import { loadBackend } from '../../src/embed/embed-backend.js';
import type { EmbedderPool } from '../../src/embed/worker-pool.js';
import { isSemcacheError } from '../../src/errors.js';
import { createRecordingLogger } from './recording-logger.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-minilm', import.meta.url));
const SPEC = { kind: 'transformers', model: FIXTURE, allowRemote: false } as const;

describe('createEmbedder', () => {
  it('with workers 0 embeds in-thread, returning the backend vectors in order across maxBatch chunks', async () => {
    const logger = createRecordingLogger();
    const embedder = await createEmbedder({ backend: SPEC, workers: 0, maxBatch: 2, logger });
    const backend = await loadBackend(SPEC);
    const texts = ['one', 'two words', 'three words here', 'four', 'five and more'];
    const vectors = await embedder.embed(texts);
    const expected = await backend.embed(texts);
    expect(vectors.map((v) => Array.from(v))).toEqual(expected.map((v) => Array.from(v)));
    expect(embedder.modelId).toBe('transformers:tiny-minilm-32');
    expect(logger.records).toEqual([
      {
        level: 'info',
        obj: { modelId: 'transformers:tiny-minilm-32', dimension: 32 },
        msg: 'embedding model ready in-thread',
      },
    ]);
    await embedder.close();
  });

  it('with workers 0 rejects a model that cannot load with an error wrapping the cause', async () => {
    const error: unknown = await createEmbedder({
      backend: { kind: 'transformers', model: '/nonexistent/semcache-model', allowRemote: false },
      workers: 0,
      maxBatch: 8,
    }).catch((e: unknown) => e);
    expect(isSemcacheError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^embedding model transformers "\/nonexistent\/semcache-model" failed to load: /);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('with workers > 0 returns a worker pool', async () => {
    const embedder = await createEmbedder({ backend: SPEC, workers: 1, maxBatch: 8 });
    try {
      const [vector] = await embedder.embed(['hello']);
      expect(vector?.length).toBe(32);
      expect((embedder as EmbedderPool).stats()).toMatchObject({ calls: 1, messages: 1 });
    } finally {
      await embedder.close();
    }
  });
});
