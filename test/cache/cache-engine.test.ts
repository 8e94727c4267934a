// The engine's semantic lookup on hand-made vectors: the ambiguity (ratio) test.
import { describe, expect, it } from 'vitest';
import { createCacheEngine } from '../../src/cache/cache-engine.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { CachedCompletion } from '../../src/openai/cached-completion.js';
import { createGuardStage } from '../../src/cache/guards/index.js';
import type { RequestKey } from '../../src/cache/request-key.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { at, handEmbedder } from '../helpers/hand-embedder.js';

const VECTORS = new Map<string, Float32Array>([
  ['stored A', at(0)],
  ['stored B', at(0.3)],
  ['query near A only', at(-0.05)],
  ['query between A and B', at(0.15)],
]);

const embedder = handEmbedder(VECTORS);
const LIMITS = { maxEntries: 100, maxBytes: 1e9, ttlMs: 0 };

const completion: CachedCompletion = {
  endpoint: 'chat',
  model: 'm',
  systemFingerprint: null,
  choices: [{ index: 0, finishReason: 'stop', message: { role: 'assistant', content: 'x' } }],
  usage: undefined,
};
const key = (text: string): RequestKey => ({ semanticText: text, promptText: text, context: 'ctx', exactKey: `exact:${text}`, bypassReason: undefined });

async function engineWith(margin: number) {
  const engine = createCacheEngine({
    semanticEnabled: true,
    embedder,
    store: createMemoryStore(LIMITS),
    guards: createGuardStage([]),
    ambiguityMargin: margin,
  });
  await engine.open();
  engine.store(key('stored A'), completion, VECTORS.get('stored A'), { tenant: 't', model: 'm' });
  engine.store(key('stored B'), completion, VECTORS.get('stored B'), { tenant: 't', model: 'm' });
  return engine;
}

describe('the ambiguity test', () => {
  // cos(0.15) = 0.9888 to both A and B; cos(0.05) = 0.9988 to A and cos(0.35) = 0.9394 to B.
  it('refuses a hit when the runner-up is within the margin of the nearest entry', async () => {
    const result = await (await engineWith(0.01)).lookup(key('query between A and B'), 0.95);
    expect(result.kind).toBe('miss');
    expect(result.kind === 'miss' ? result.rejection?.guard : undefined).toBe('ambiguity');
  });

  it('serves the hit when the runner-up is farther than the margin', async () => {
    const result = await (await engineWith(0.01)).lookup(key('query near A only'), 0.95);
    expect(result.kind).toBe('semantic-hit');
    expect(result.kind === 'semantic-hit' ? result.similarity : 0).toBeCloseTo(Math.cos(0.05), 5);
  });

  it('serves the nearest entry when the test is off', async () => {
    const result = await (await engineWith(0)).lookup(key('query between A and B'), 0.95);
    expect(result.kind).toBe('semantic-hit');
  });
});

describe('feedback blocks', () => {
  it('block one prompt for one entry, and leave with the entry', async () => {
    const engine = await engineWith(0);
    const hit = await engine.lookup(key('query near A only'), 0.95);
    const entryId = hit.kind === 'semantic-hit' ? hit.entry.id : -1;
    await engine.block(entryId, 'query near A only');
    await engine.block(entryId, 'query near A only');
    expect(engine.stats().feedbackBlocks).toBe(1);
    const after = await engine.lookup(key('query near A only'), 0.95);
    expect(after.kind).toBe('miss');
    await engine.delete(entryId);
    expect(engine.stats().feedbackBlocks).toBe(0);
  });
});

describe('prompts too long for the guards', () => {
  it('are neither embedded nor matched by meaning, only exactly', async () => {
    const embedded: string[] = [];
    const counting: Embedder = { ...embedder, embedTimed: async (texts) => (embedded.push(...texts), embedder.embedTimed(texts)) };
    const engine = createCacheEngine({
      semanticEnabled: true,
      embedder: counting,
      store: createMemoryStore(LIMITS),
      guards: createGuardStage(['numbers'], { maxWords: 4 }),
    });
    await engine.open();
    const long = key('one two three four five');

    const miss = await engine.lookup(long, 0.95);
    expect(miss).toMatchObject({ kind: 'miss', vector: undefined });
    engine.store(long, completion, undefined, { tenant: 't', model: 'm' });
    expect((await engine.lookup(long, 0.95)).kind).toBe('exact-hit');
    await engine.lookup(key('one two three four'), 0.95);
    expect(embedded).toEqual(['one two three four']);
    expect(engine.stats().vectors).toBe(0);
  });
});

describe('a lookup with nothing to find', () => {
  it('misses at once with the embedding to come, and searches once the partition holds a vector', async () => {
    const engine = createCacheEngine({ semanticEnabled: true, embedder, store: createMemoryStore(LIMITS), guards: createGuardStage([]) });
    await engine.open();

    const first = await engine.lookup(key('stored A'), 0.95);
    const embedded = first.kind === 'miss' ? await first.later : undefined;
    engine.store(key('stored A'), completion, embedded?.vector, { tenant: 't', model: 'm' });
    const second = await engine.lookup(key('query near A only'), 0.95);

    expect(first).toMatchObject({ kind: 'miss', vector: undefined, rejection: undefined });
    expect(Array.from(embedded?.vector ?? [])).toEqual(Array.from(VECTORS.get('stored A') ?? []));
    expect(embedded?.timings.embedMs).toBeGreaterThanOrEqual(0);
    expect(second.kind).toBe('semantic-hit');
    expect(second.kind === 'semantic-hit' ? second.entry.value.text : '').toBe('stored A');
  });

  it('looks in the partition of the request only: another context with vectors does not count', async () => {
    const engine = await engineWith(0);

    const elsewhere = await engine.lookup({ ...key('query near A only'), context: 'another context' }, 0.95);
    const here = await engine.lookup(key('query near A only'), 0.95);

    expect(elsewhere.kind === 'miss' ? elsewhere.later : 'not a miss').toBeInstanceOf(Promise);
    expect(here.kind).toBe('semantic-hit');
  });

  it('a fresh answer asked for (no lookup) is embedded while it goes upstream', async () => {
    const engine = await engineWith(0);

    const miss = await engine.prepareMiss(key('query near A only'));

    expect(miss.vector).toBeUndefined();
    expect(Array.from((await miss.later)?.vector ?? [])).toEqual(Array.from(VECTORS.get('query near A only') ?? []));
  });
});
