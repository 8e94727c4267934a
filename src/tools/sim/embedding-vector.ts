// Deterministic stand-in embeddings: a unit vector per input text, its components drawn from a
// generator seeded by sha256(text). Equal texts get equal vectors; different texts get nearly
// orthogonal ones, which is all a cache test needs to tell a hit from a miss.

import { createHash } from 'node:crypto';
import { createPrng } from './prng.js';

export function embeddingVector(text: string, dimensions: number): Float32Array {
  const seed = createHash('sha256').update(text).digest().readUInt32LE(0);
  const next = createPrng(seed);
  const raw = new Float64Array(dimensions);
  let sumSquares = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = next() * 2 - 1;
    raw[i] = value;
    sumSquares += value * value;
  }
  const norm = Math.sqrt(sumSquares) || 1;
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = (raw[i] ?? 0) / norm;
  return vector;
}

/** OpenAI's `encoding_format: "base64"`: the float32 values as little-endian bytes, base64-encoded. */
export function encodeEmbeddingBase64(vector: Float32Array): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] ?? 0, i * 4);
  return bytes.toString('base64');
}

/** The inverse of encodeEmbeddingBase64, as the openai SDK does it. */
export function decodeEmbeddingBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}
