// An embedding "model" whose vectors a test writes by hand, in 3-d, as angles in the x-y plane: the
// cosine of two prompts is the cosine of their angle difference, so a test states exactly how
// similar two prompts are. Texts not listed sit far from everything (angle 2 rad). `delayMs` lets a
// test hold requests while they are being embedded.
import type { Embedder } from '../../src/embed/embedder.js';

/** A unit vector at `angle` radians from the x axis. */
export const at = (angle: number): Float32Array => Float32Array.of(Math.cos(angle), Math.sin(angle), 0);

export function handEmbedder(vectors: ReadonlyMap<string, Float32Array>, delayMs: () => number = () => 0): Embedder {
  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const delay = delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return texts.map((t) => vectors.get(t) ?? at(2));
  };
  return { modelId: 'hand-3', dimension: 3, embed, embedTimed: async (texts) => ({ vectors: await embed(texts), computeMs: 0 }), close: async () => undefined };
}
