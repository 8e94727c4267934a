import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type EmbedBackend } from '../../src/embed/embed-backend.js';
import { dot, norm } from './vector-math.js';

describe('USE-lite backend on TensorFlow.js (in-thread)', () => {
  let backend: EmbedBackend;

  beforeAll(async () => {
    backend = await loadBackend({ kind: 'use-tfjs' });
  });

  it('is named use-lite-512 and returns 512-dimensional vectors', async () => {
    const [vector] = await backend.embed(['How do I reset my password?']);
    expect(backend.modelId).toBe('use-lite-512');
    expect(backend.dimension).toBe(512);
    expect(vector?.length).toBe(512);
  });

  it('returns unit-length vectors, one per text, in order', async () => {
    const texts = ['first text', 'a second, longer text about something else', ''];
    const vectors = await backend.embed(texts);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
    const [alone] = await backend.embed([texts[1] ?? '']);
    expect(Array.from(vectors[1] ?? [])).toEqual(Array.from(alone ?? []));
  });

  it('scores a paraphrase far above an unrelated question', async () => {
    // Measured: 0.988 for the paraphrase, 0.124 for the unrelated question.
    const [question, paraphrase, unrelated] = await backend.embed([
      'How do I reset my password?',
      'How can I reset my password?',
      'What is the capital of France?',
    ]);
    if (!question || !paraphrase || !unrelated) throw new Error('missing vectors');
    expect(dot(question, paraphrase)).toBeGreaterThan(0.9);
    expect(dot(question, unrelated)).toBeLessThan(0.4);
  });

  it('is deterministic: the same text gives the identical vector', async () => {
    const [a] = await backend.embed(['What is the weather like in Paris?']);
    const [b] = await backend.embed(['What is the weather like in Paris?']);
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
  });

  it('keeps one vector per text when the last text is empty (the model alone would drop its row)', async () => {
    const [emptyInMiddle] = (await backend.embed(['first', '', 'third'])).slice(1, 2);
    const vectors = await backend.embed(['first', '']);
    const [emptyAlone] = await backend.embed(['']);
    expect(vectors).toHaveLength(2);
    expect(Array.from(vectors[1] ?? [])).toEqual(Array.from(emptyInMiddle ?? []));
    expect(Array.from(emptyAlone ?? [])).toEqual(Array.from(emptyInMiddle ?? []));
    expect(norm(emptyAlone ?? new Float32Array())).toBeCloseTo(1, 5);
  });

  it('returns no vectors for no texts', async () => {
    expect(await backend.embed([])).toEqual([]);
  });
});
