// Sentence embeddings with transformers.js v3 on onnxruntime-node (CPU, fp32): mean pooling over the
// attention mask, then L2 normalisation, as sentence-transformers does for MiniLM-style models.
//
// Where transformers.js looks for files (src/utils/hub.js, getModelFile):
// - an absolute folder path is not a valid hub id, so files are read from `<folder>/<file>` directly
//   (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx for dtype fp32), and a missing
//   file fails with "download aborted due to invalid model ID" without any request;
// - a hub id is looked up in `env.cacheDir`, then in `env.localModelPath/<id>/`, and only then fetched
//   from the hub, which `env.allowRemoteModels = false` forbids.

import { basename, isAbsolute } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline, type Tensor } from '@huggingface/transformers';
import type { BackendLoadOptions, BackendSpec, EmbedBackend } from './embed-backend.js';
import { toUnitVector } from './unit-vector.js';

type TransformersSpec = Extract<BackendSpec, { kind: 'transformers' }>;

const PROBE_TEXT = 'dimension probe';

export async function loadTransformersBackend(spec: TransformersSpec, options: BackendLoadOptions = {}): Promise<EmbedBackend> {
  const localFolder = isAbsolute(spec.model);
  // env is module-global; each worker thread has its own copy, so per-spec settings do not leak across workers.
  env.allowLocalModels = true;
  env.allowRemoteModels = spec.allowRemote && !localFolder;
  if (spec.cacheDir !== undefined) env.cacheDir = spec.cacheDir;

  const extractor = await createExtractor(spec.model, options.threads);
  const embedRows = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const output = await extractor([...texts], { pooling: 'mean', normalize: true });
    return splitRows(output, texts.length);
  };

  const [probe] = await embedRows([PROBE_TEXT]);
  const dimension = probe?.length ?? 0;
  if (dimension === 0) throw new Error(`model "${spec.model}" produced an empty embedding`);
  const name = localFolder ? basename(spec.model) : spec.model;

  return {
    modelId: `transformers:${name}-${dimension}`,
    dimension,
    async embed(texts) {
      if (texts.length === 0) return [];
      return embedRows(texts);
    },
  };
}

async function createExtractor(model: string, threads: number | undefined): Promise<FeatureExtractionPipeline> {
  return pipeline('feature-extraction', model, {
    dtype: 'fp32',
    device: 'cpu',
    ...(threads === undefined ? {} : { session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 } }),
  });
}

function splitRows(output: Tensor, count: number): Float32Array[] {
  const data = output.data as Float32Array;
  const width = data.length / count;
  const rows: Float32Array[] = [];
  for (let i = 0; i < count; i++) rows.push(toUnitVector(data.subarray(i * width, (i + 1) * width)));
  return rows;
}
