// The remote embedder against the simulated upstream's /v1/embeddings, healthy and with its fault
// knobs on (errors, stalls, a closed port), on loopback.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemoteEmbedder, type RemoteEmbedder, type RemoteEmbedderSpec } from '../../src/embed/remote/remote-embedder.js';
import { isSemcacheError } from '../../src/errors.js';
import { embeddingVector } from '../../src/tools/sim/embedding-vector.js';
import { startSimUpstream, type SimUpstream } from '../../src/tools/sim/sim-app.js';
import type { SimOptions } from '../../src/tools/sim/sim-options.js';
import { createRecordingLogger } from './recording-logger.js';
import { maxAbsDifference } from './vector-math.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

async function sim(options: Partial<SimOptions> = {}, port = 0): Promise<SimUpstream> {
  const started = await startSimUpstream(options, { port, host: '127.0.0.1' });
  opened.push(started);
  return started;
}

function spec(url: string, extra: Partial<RemoteEmbedderSpec> = {}): RemoteEmbedderSpec {
  return { kind: 'openai', url: new URL(url), model: 'sim-embed', timeoutMs: 1_000, batchWaitMs: 2, ...extra };
}

async function embedder(options: Parameters<typeof createRemoteEmbedder>[0]): Promise<RemoteEmbedder> {
  const created = await createRemoteEmbedder(options);
  opened.push(created);
  return created;
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const embeddingCalls = (upstream: SimUpstream): number => upstream.stats.byPath['/v1/embeddings'] ?? 0;

/** An embedder started against a healthy endpoint, which is then replaced on its port by one with `faults`. */
async function swappedAfterStart(
  faults: Partial<SimOptions>,
  extra: Partial<RemoteEmbedderSpec> = {},
): Promise<{ remote: RemoteEmbedder; upstream: SimUpstream }> {
  const port = await closedPort();
  const healthy = await sim({}, port);
  const remote = await embedder({ spec: spec(healthy.url, extra), maxBatch: 16, breaker: { failures: 3, cooldownMs: 60_000 } });
  await healthy.close();
  return { remote, upstream: await sim(faults, port) };
}

describe('remote embedder (OpenAI-compatible /v1/embeddings)', () => {
  it('learns the dimension from the first answer and names the model and dimension in its id', async () => {
    const upstream = await sim({ embeddingDimensions: 48 });
    const remote = await embedder({ spec: spec(upstream.url), maxBatch: 16 });
    expect(remote.modelId).toBe('openai:sim-embed-48');
    expect(remote.dimension).toBe(48);
    const [vector] = await remote.embed(['How do I reset my password?']);
    expect(maxAbsDifference(vector ?? new Float32Array(), embeddingVector('How do I reset my password?', 48))).toBeLessThan(1e-6);
    expect(remote.health?.()).toEqual({ state: 'up' });
  });

  it('sends the model, the texts and the key as a bearer token', async () => {
    const upstream = await sim();
    const remote = await embedder({ spec: spec(upstream.url, { apiKey: 'sk-test-123' }), maxBatch: 16 });
    await remote.embed(['one', 'two']);
    expect(upstream.stats.lastHeaders?.authorization).toBe('Bearer sk-test-123');
    expect(upstream.stats.lastBody).toEqual({ model: 'sim-embed', input: ['one', 'two'], encoding_format: 'float' });
  });

  it('sends 32 concurrent texts in 2 calls of at most maxBatch (16), each vector to its own caller', async () => {
    const upstream = await sim();
    const remote = await embedder({ spec: spec(upstream.url), maxBatch: 16 });
    const before = embeddingCalls(upstream);
    const texts = Array.from({ length: 32 }, (_, i) => `question number ${i}`);
    const vectors = await Promise.all(texts.map((text) => remote.embed([text])));
    expect(embeddingCalls(upstream) - before).toBe(2);
    expect(remote.stats().largestBatch).toBe(16);
    vectors.forEach(([vector], i) => expect(maxAbsDifference(vector ?? new Float32Array(), embeddingVector(texts[i] ?? '', 64))).toBeLessThan(1e-6));
  });

  it('lets texts arriving in other ticks while a call is out share one call', async () => {
    const upstream = await sim({ stallMs: 30 });
    const remote = await embedder({ spec: spec(upstream.url, { batchWaitMs: 20 }), maxBatch: 16 });
    const before = embeddingCalls(upstream);
    const first = remote.embed(['first']);
    const later: Promise<Float32Array[]>[] = [];
    // Each text in a tick of its own (after the first call went), all before the batch's 1 ms quiet
    // timer can run: yielding to the event loop instead would make the test depend on how fast a
    // loaded machine turns it (a gap over 1 ms rightly ends the burst).
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      later.push(remote.embed([`later ${i}`]));
    }
    await Promise.all([first, ...later]);
    // The first went at once; the five that came while it was out went together.
    expect(embeddingCalls(upstream) - before).toBe(2);
    expect(remote.stats().largestBatch).toBe(5);
  });

  it('sends a lone text waiting behind a call once no other has joined it for a moment, not after the whole batch wait', async () => {
    const upstream = await sim({ stallMs: 30 });
    const remote = await embedder({ spec: spec(upstream.url, { batchWaitMs: 1_000 }), maxBatch: 16 });
    const first = remote.embed(['first']);
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    await remote.embed(['second']);
    expect(performance.now() - started).toBeLessThan(500);
    await first;
  });

  it('opens the circuit after 3 failed calls: texts then fail at once without a call, and health says why', async () => {
    const upstream = await sim({ embeddingDimensions: 8 });
    const remote = await embedder({ spec: spec(upstream.url), maxBatch: 16 });
    const failing = await sim({ errorRate: 1, errorStatus: 503 });
    const logger = createRecordingLogger();
    const broken = await embedder({ spec: spec(failing.url, { dimension: 64 }), maxBatch: 16, logger });
    // The start-up probe failed already (one failure), and with a dimension given it started anyway, down.
    expect(broken.health?.()).toMatchObject({ state: 'down', reason: expect.stringMatching(/answered 503$/) });
    expect(broken.modelId).toBe('openai:sim-embed-64');
    const calls = embeddingCalls(failing);
    const error: unknown = await broken.embed(['x']).catch((e: unknown) => e);
    expect(isSemcacheError(error) && error.code).toBe('SEMCACHE_ERR_EMBED_FAILED');
    expect((error as Error).message).toMatch(/is failing \(embeddings endpoint .* answered 503\)/);
    expect(embeddingCalls(failing)).toBe(calls);
    expect(broken.stats()).toMatchObject({ failedFast: 1 });
    expect(logger.records.map((r) => r.msg)).toContain('embeddings endpoint failing: semantic lookups off (exact tier and upstream only)');
    expect(remote.health?.()).toEqual({ state: 'up' });
  });

  it('counts failures in a row, lets one probe through after the cooldown, and closes when it succeeds', async () => {
    let now = 1_000_000;
    const port = await closedPort();
    const logger = createRecordingLogger();
    const remote = await embedder({
      spec: spec(`http://127.0.0.1:${port}/v1`, { dimension: 64 }),
      maxBatch: 16,
      logger,
      now: () => now,
      breaker: { failures: 3, cooldownMs: 5_000 },
    });
    expect(remote.health?.().state).toBe('down');
    await expect(remote.embed(['during cooldown'])).rejects.toThrow(/is failing/);
    now += 5_000;
    // The probe goes to a port nobody listens on: it fails, and the circuit opens for another cooldown.
    await expect(remote.embed(['probe'])).rejects.toThrow(/ECONNREFUSED/);
    await expect(remote.embed(['right after'])).rejects.toThrow(/is failing/);
    await sim({}, port);
    now += 5_000;
    const [vector] = await remote.embed(['probe again']);
    expect(vector?.length).toBe(64);
    expect(remote.health?.()).toEqual({ state: 'up' });
    expect(logger.records.at(-1)?.msg).toBe('embeddings endpoint answering again: semantic lookups on');
    expect(remote.stats()).toMatchObject({ failedFast: 2, failedRequests: 2 });
  });

  it('gives up on a call after its timeout and counts it as a failure', async () => {
    const { remote } = await swappedAfterStart({ stallMs: 5_000 }, { timeoutMs: 100 });
    const started = performance.now();
    await expect(remote.embed(['slow'])).rejects.toThrow('no answer within 100 ms');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(remote.stats().failedRequests).toBe(1);
    expect(remote.health?.()).toEqual({ state: 'up' }); // one failure of the three that open it
  });

  it('tries each text alone when the endpoint refuses a batch (400), without opening the circuit', async () => {
    const { remote, upstream: refusing } = await swappedAfterStart({ errorRate: 1, errorStatus: 400 });
    const before = embeddingCalls(refusing);
    const results = await Promise.allSettled([remote.embed(['a']), remote.embed(['b']), remote.embed(['c'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(embeddingCalls(refusing) - before).toBe(4); // the batch, then each text alone
    expect(remote.health?.()).toEqual({ state: 'up' });
  });

  it('refuses an endpoint whose vectors change dimension, as a failure of the call', async () => {
    const port = await closedPort();
    const first = await sim({ embeddingDimensions: 64 }, port);
    const remote = await embedder({ spec: spec(first.url), maxBatch: 16 });
    await first.close();
    await sim({ embeddingDimensions: 32 }, port);
    await expect(remote.embed(['x'])).rejects.toThrow('now gives 32-dimensional vectors, not 64: has its model changed?');
    expect(remote.stats().failedRequests).toBe(1);
  });

  it('fails to start when the endpoint does not answer and no dimension is given, saying how to start anyway', async () => {
    const port = await closedPort();
    const error: unknown = await createRemoteEmbedder({ spec: spec(`http://127.0.0.1:${port}/v1`), maxBatch: 16 }).catch((e: unknown) => e);
    expect(isSemcacheError(error) && error.code).toBe('SEMCACHE_ERR_EMBED_LOAD_FAILED');
    expect((error as Error).message).toMatch(/did not answer at start \(.*ECONNREFUSED.*\); set SEMCACHE_EMBED_DIMENSION to start without it$/);
  });

  it('fails to start when the endpoint gives another dimension than the one configured', async () => {
    const upstream = await sim({ embeddingDimensions: 64 });
    await expect(createRemoteEmbedder({ spec: spec(upstream.url, { dimension: 1536 }), maxBatch: 16 })).rejects.toThrow(
      'gives 64-dimensional vectors for model "sim-embed", not the 1536 configured (SEMCACHE_EMBED_DIMENSION)',
    );
  });

  it('refuses an empty text without a call', async () => {
    const upstream = await sim();
    const remote = await embedder({ spec: spec(upstream.url), maxBatch: 16 });
    const before = embeddingCalls(upstream);
    await expect(remote.embed([''])).rejects.toThrow('an empty text has no embedding');
    expect(embeddingCalls(upstream)).toBe(before);
  });
});
