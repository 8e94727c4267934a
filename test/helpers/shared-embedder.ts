// One USE-lite embedder per test file: loading the model takes about half a second per worker.
import { createEmbedder } from '../../src/embed/create-embedder.js';
import type { Embedder } from '../../src/embed/embedder.js';

export function useEmbedder(workers = 1): Promise<Embedder> {
  return createEmbedder({ backend: { kind: 'use' }, workers, maxBatch: 16 });
}
