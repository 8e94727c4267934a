// The pool runs the compiled worker from dist/ (npm test builds first; see defaultWorkerUrl).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type EmbedBackend } from '../../src/embed/embed-backend.js';
import type { LogSink } from '../../src/logger.js';
import { createEmbedderPool, defaultThreadsPerWorker, defaultWorkerUrl, type EmbedderPool } from '../../src/embed/worker-pool.js';
import { isSemcacheError } from '../../src/errors.js';
import { createRecordingLogger } from './recording-logger.js';
import { maxAbsDifference } from './vector-math.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-minilm', import.meta.url));
const FAKE_WORKER = new URL('./fixtures/fake-embed-worker.mjs', import.meta.url);
const PROMPTS = Array.from({ length: 20 }, (_, i) => `question ${i}: how do I configure service number ${i}?`);

describe('worker pool over USE-lite (2 workers)', () => {
  let pool: EmbedderPool;
  let inThread: EmbedBackend;

  beforeAll(async () => {
    [pool, inThread] = await Promise.all([createEmbedderPool({ backend: { kind: 'use' }, workers: 2, maxBatch: 32 }), loadBackend({ kind: 'use' })]);
  });

  afterAll(async () => {
    await pool.close();
  });

  it('reports the model of its workers, and that it is up', () => {
    expect(pool.modelId).toBe('use-lite-512');
    expect(pool.dimension).toBe(512);
    expect(pool.health?.()).toEqual({ state: 'up' });
  });

  it('returns the same vectors as the in-thread backend, each to its own caller', async () => {
    const fromPool = await Promise.all(PROMPTS.map((prompt) => pool.embed([prompt])));
    const expected = await inThread.embed(PROMPTS);
    fromPool.forEach(([vector], i) => {
      const difference = maxAbsDifference(vector ?? new Float32Array(), expected[i] ?? new Float32Array());
      expect(difference).toBeLessThan(1e-5);
    });
  });

  it('merges 20 concurrent calls into one message per worker', async () => {
    const before = pool.stats();
    await Promise.all(PROMPTS.map((prompt) => pool.embed([prompt])));
    const after = pool.stats();
    expect(after.calls - before.calls).toBe(20);
    // Both workers were idle, so the burst is split evenly between them.
    expect(after.messages - before.messages).toBe(2);
    expect(after.largestBatch).toBe(10);
  });
});

describe('worker pool: batching and crashes (fake worker)', () => {
  it('splits a call larger than maxBatch into several messages and keeps the order', async () => {
    const fake = { backend: { kind: 'use' }, workers: 1, maxBatch: 2, workerUrl: FAKE_WORKER } as const;
    const pool = await createEmbedderPool(fake);
    try {
      const vectors = await pool.embed(['a', 'bb', 'ccc', 'dddd', 'eeeee']);
      expect(vectors.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
      expect(pool.stats()).toMatchObject({ calls: 1, texts: 5, messages: 3, largestBatch: 2 });
    } finally {
      await pool.close();
    }
  });

  it('replaces a worker that never answers, rejecting its batch, so later calls are served', async () => {
    const pool = await createEmbedderPool({ backend: { kind: 'use' }, workers: 1, maxBatch: 8, workerUrl: FAKE_WORKER, deadlineMs: () => 200 });
    try {
      await expect(pool.embed(['hang'])).rejects.toThrow('embedding failed: embedding worker did not answer within 200 ms');
      expect(await pool.embed(['after'])).toEqual([Float32Array.of(5, 0, 0)]);
      expect(pool.stats().restarts).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("gives each call its share of a merged batch's compute time", async () => {
    const pool = await createEmbedderPool({ backend: { kind: 'use' }, workers: 1, maxBatch: 8, workerUrl: FAKE_WORKER });
    try {
      // Both calls join one batch of 4 texts, which reports 4 ms: 3 ms are the first call's.
      const [three, one] = await Promise.all([pool.embedTimed(['a', 'b', 'c']), pool.embedTimed(['d'])]);
      expect(pool.stats().messages).toBe(1);
      expect([three.computeMs, one.computeMs]).toEqual([3, 1]);
      expect(three.vectors.map((v) => v[0])).toEqual([1, 1, 1]);
    } finally {
      await pool.close();
    }
  });

  it.each(['thread', 'process'] as const)('rejects the calls of a crashed worker (%s), logs it and replaces the worker', async (isolation) => {
    const logger = createRecordingLogger();
    const pool = await createEmbedderPool({
      backend: { kind: 'use' },
      workers: 1,
      maxBatch: 8,
      workerUrl: FAKE_WORKER,
      isolation,
      logger,
    });
    try {
      await expect(pool.embed(['crash'])).rejects.toThrow(
        isolation === 'thread' ? 'embedding failed: embedding worker crashed: boom' : 'embedding failed: embedding process exited unexpectedly with code 1',
      );
      expect(await pool.embed(['after'])).toEqual([Float32Array.of(5, 0, 0)]);
      expect(pool.stats().restarts).toBe(1);
      expect(logger.records.filter((r) => r.level === 'error').map((r) => r.msg)).toEqual(['embedding worker crashed; replacing it']);
    } finally {
      await pool.close();
    }
  });

  it('tries the texts of a crashed batch again one by one, so only the text at fault fails', async () => {
    const pool = await createEmbedderPool({ backend: { kind: 'use' }, workers: 1, maxBatch: 8, workerUrl: FAKE_WORKER });
    try {
      // Three calls in one tick make one batch, which crashes on "crash".
      const results = await Promise.allSettled([pool.embed(['a']), pool.embed(['crash']), pool.embed(['ccc'])]);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value[0]?.[0] : 'rejected'))).toEqual([1, 'rejected', 3]);
      expect(pool.stats()).toMatchObject({ messages: 4, retried: 3, restarts: 2 });
    } finally {
      await pool.close();
    }
  });

  it('rejects calls made after close', async () => {
    const fake = { backend: { kind: 'use' }, workers: 1, maxBatch: 8, workerUrl: FAKE_WORKER } as const;
    const pool = await createEmbedderPool(fake);
    await pool.close();
    await expect(pool.embed(['late'])).rejects.toThrow('embedder is closed');
  });
});

describe('worker pool: onnxruntime threads per worker', () => {
  it('shares the cores among the workers, at least one thread each', () => {
    expect([defaultThreadsPerWorker(2, 2), defaultThreadsPerWorker(1, 2), defaultThreadsPerWorker(4, 16), defaultThreadsPerWorker(3, 2)]).toEqual([1, 2, 4, 1]);
  });
});

describe('worker pool: load failures', () => {
  it('rejects with an error naming the model and wrapping the cause when the model cannot load', async () => {
    const missing = join(tmpdir(), 'semcache-missing-model');
    const error: unknown = await createEmbedderPool({
      backend: { kind: 'transformers', model: missing, allowRemote: false },
      workers: 1,
      maxBatch: 8,
    }).catch((e: unknown) => e);
    expect(isSemcacheError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^embedding model transformers ".*semcache-missing-model" failed to load: .*not found locally/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rejects clearly when the worker script does not exist', async () => {
    await expect(
      createEmbedderPool({
        backend: { kind: 'use' },
        workers: 1,
        maxBatch: 8,
        workerUrl: new URL('./fixtures/no-such-worker.mjs', import.meta.url),
      }),
    ).rejects.toThrow(/failed to load: .*no-such-worker\.mjs/);
  });
});

describe('worker pool over transformers.js (child processes)', () => {
  it('embeds with the local fixture model exactly as the in-thread backend does, on 2 workers', async () => {
    const spec = { kind: 'transformers', model: FIXTURE, allowRemote: false } as const;
    const [pool, inThread] = await Promise.all([createEmbedderPool({ backend: spec, workers: 2, maxBatch: 8 }), loadBackend(spec)]);
    try {
      const texts = ['hello world', 'what is the price of my order?', 'thanks', 'where is my refund?'];
      const fromPool = (await Promise.all(texts.map((text) => pool.embed([text])))).flat();
      const expected = await inThread.embed(texts);
      expect(pool.modelId).toBe('transformers:tiny-minilm-32');
      expect(pool.stats().messages).toBe(2); // one per worker process
      expect(fromPool).toHaveLength(4);
      fromPool.forEach((vector, i) => {
        expect(maxAbsDifference(vector, expected[i] ?? new Float32Array())).toBeLessThan(1e-5);
      });
    } finally {
      await pool.close();
    }
  });
});

describe('defaultWorkerUrl', () => {
  it('uses the sibling embed-worker.js when compiled', () => {
    const url = defaultWorkerUrl('file:///app/dist/embed/worker-pool.js');
    expect(url.href).toBe('file:///app/dist/embed/embed-worker.js');
  });

  it('uses the build output when running from TypeScript sources', () => {
    const url = defaultWorkerUrl('file:///repo/src/embed/worker-pool.ts');
    expect(url.href).toBe('file:///repo/dist/embed/embed-worker.js');
  });

  it('accepts a pino logger', () => {
    const logger: LogSink = pino({ level: 'silent' });
    expect(typeof logger.error).toBe('function');
  });
});
