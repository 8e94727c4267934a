// A deterministic stand-in for the embedding model (a vector from the text's hash) whose delay a
// test controls: for what happens while a prompt is being embedded.
import { createHash } from 'node:crypto';
import type { Embedder } from '../../src/embed/embedder.js';

export function slowEmbedder(delayMs: () => number): Embedder {
  const vector = (text: string): Float32Array => {
    const hash = createHash('sha256').update(text).digest();
    const v = Float32Array.from(hash.subarray(0, 8), (byte) => byte - 128);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    await new Promise((resolve) => setTimeout(resolve, delayMs()));
    return texts.map(vector);
  };
  return { modelId: 'hash-8', dimension: 8, embed, embedTimed: async (texts) => ({ vectors: await embed(texts), computeMs: 1 }), close: async () => undefined };
}
