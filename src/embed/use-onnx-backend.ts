// Universal Sentence Encoder lite (512-d) on onnxruntime-node: the same model as use-backend.ts (the
// TF.js graph translated node for node by use-onnx/, the same weights, the same tokenizer), on a native
// vectorised CPU runtime. Same vectors (cosine >= 0.9999 to the TF.js ones, test/embed and
// bench/embedder-bench.mjs), hence the same model id: entries, thresholds and calibrations carry over.
//
// onnxruntime-node runs a session synchronously in the calling thread, and can be loaded by one thread
// per process only (worker-transport.ts): the worker pool runs this backend in child processes.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { BackendLoadOptions, EmbedBackend } from './embed-backend.js';
import { createSentencePieceTokenizer, type VocabularyEntry } from './sentencepiece-tokenizer.js';
import { toUnitVector } from './unit-vector.js';
import { loadUseOnnxModel, usePackageFolder, USE_INPUTS, USE_OUTPUT } from './use-onnx/use-onnx-model.js';
import { USE_DIMENSION, USE_MODEL_ID } from './use-lite.js';

const FILLER_TEXT = '.';

export async function loadUseOnnxBackend(options: BackendLoadOptions = {}): Promise<EmbedBackend> {
  const folder = usePackageFolder();
  const vocabulary = JSON.parse(await readFile(join(folder, 'vocab.json'), 'utf8')) as VocabularyEntry[];
  const tokenizer = createSentencePieceTokenizer(vocabulary);
  const model = await loadUseOnnxModel();
  const sessionOptions: InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle intra-op threads would otherwise spin for a while after every run, taking CPU the proxy's
    // event loop and the other workers need on a small machine.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const session =
    model.kind === 'file' ? await InferenceSession.create(model.path, sessionOptions) : await InferenceSession.create(model.bytes, sessionOptions);

  return {
    modelId: USE_MODEL_ID,
    dimension: USE_DIMENSION,
    async embed(texts) {
      if (texts.length === 0) return [];
      const rows = texts.map((text) => tokenizer.encode(text));
      // As in use-backend.ts: the model sizes the batch from the last row holding a token, so a
      // token-less last text gets a filler text after it to keep its row.
      if ((rows[rows.length - 1] ?? []).length === 0) rows.push(tokenizer.encode(FILLER_TEXT));
      const output = (await session.run(sparseInput(rows)))[USE_OUTPUT];
      const data = output?.data;
      if (!(data instanceof Float32Array) || data.length < texts.length * USE_DIMENSION) {
        throw new Error(`USE-lite (onnx) returned ${data?.length ?? 0} values for ${texts.length} texts`);
      }
      return texts.map((_, i) => toUnitVector(data.subarray(i * USE_DIMENSION, (i + 1) * USE_DIMENSION)));
    },
  };
}

/** The model's input, as the TF.js path builds it: (row, position) of every token, and the token ids. */
function sparseInput(rows: readonly (readonly number[])[]): Record<string, Tensor> {
  const count = rows.reduce((sum, row) => sum + row.length, 0);
  const indices = new BigInt64Array(count * 2);
  const values = new BigInt64Array(count);
  let k = 0;
  rows.forEach((row, r) => {
    row.forEach((id, position) => {
      indices[2 * k] = BigInt(r);
      indices[2 * k + 1] = BigInt(position);
      values[k] = BigInt(id);
      k++;
    });
  });
  return {
    [USE_INPUTS.indices]: new Tensor('int64', indices, [count, 2]),
    [USE_INPUTS.values]: new Tensor('int64', values, [count]),
  };
}
