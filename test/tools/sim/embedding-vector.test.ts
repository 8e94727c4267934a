import { describe, expect, it } from 'vitest';
import { decodeEmbeddingBase64, embeddingVector, encodeEmbeddingBase64 } from '../../../src/tools/sim/embedding-vector.js';

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

describe('simulated embeddings', () => {
  it('are unit vectors of the asked dimension', () => {
    const vector = embeddingVector('hello', 64);
    expect(vector).toHaveLength(64);
    expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('are equal for equal texts and different for different texts', () => {
    expect(Array.from(embeddingVector('hello', 16))).toEqual(Array.from(embeddingVector('hello', 16)));
    expect(Array.from(embeddingVector('hello', 16))).not.toEqual(Array.from(embeddingVector('hello!', 16)));
  });

  it('round-trip through base64 as little-endian float32', () => {
    const vector = embeddingVector('round trip', 8);
    const base64 = encodeEmbeddingBase64(vector);
    expect(Buffer.from(base64, 'base64').readFloatLE(4)).toBe(vector[1]);
    expect(Array.from(decodeEmbeddingBase64(base64))).toEqual(Array.from(vector));
  });
});
