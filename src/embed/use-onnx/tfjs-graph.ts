// Reads a TensorFlow.js graph model (the `tfjs-graph-model` format the TF.js converter writes: a
// model.json holding the GraphDef as JSON and a manifest of weights, whose bytes are the weight shards
// concatenated in manifest order). Every Const node's value is in the weights.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** tensorflow/core/framework/types.proto */
export const TF_FLOAT = 1;
export const TF_INT32 = 3;
export const TF_INT64 = 9;
export const TF_BOOL = 10;

export interface TfAttr {
  readonly i?: string;
  readonly f?: number;
  readonly b?: boolean;
  readonly type?: number | string;
  readonly s?: string;
  readonly list?: { readonly i?: readonly string[] };
}

export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, TfAttr>>;
}

export interface TfConst {
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

export interface TfGraph {
  readonly nodes: readonly TfNode[];
  readonly consts: ReadonlyMap<string, TfConst>;
}

interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: unknown;
}

interface ModelJson {
  readonly modelTopology: { readonly node: readonly TfNode[] };
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly WeightSpec[] }[];
}

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

export async function readTfjsGraph(modelJsonPath: string): Promise<TfGraph> {
  const model = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
  const folder = dirname(modelJsonPath);
  const consts = new Map<string, TfConst>();
  for (const group of model.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(folder, p))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.quantization !== undefined) throw new Error(`weight ${spec.name} is quantized; not supported`);
      const size = BYTES_PER_ELEMENT[spec.dtype];
      if (size === undefined) throw new Error(`weight ${spec.name} has dtype ${spec.dtype}; not supported`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      // A copy, so the typed array is aligned whatever the offset in the shard.
      const slice = bytes.subarray(offset, offset + count * size);
      const copy = new Uint8Array(slice).buffer;
      const data = spec.dtype === 'float32' ? new Float32Array(copy) : spec.dtype === 'int32' ? new Int32Array(copy) : new Uint8Array(copy);
      consts.set(spec.name, { dtype: spec.dtype as TfConst['dtype'], shape: spec.shape, data });
      offset += count * size;
    }
    if (offset !== bytes.length) throw new Error(`weight shards hold ${bytes.length} bytes, the manifest describes ${offset}`);
  }
  return { nodes: model.modelTopology.node, consts };
}

export function attrInt(node: TfNode, name: string): number | undefined {
  const value = node.attr?.[name]?.i;
  return value === undefined ? undefined : Number(value);
}

export function attrBool(node: TfNode, name: string): boolean {
  return node.attr?.[name]?.b === true;
}

export function attrInts(node: TfNode, name: string): number[] {
  return (node.attr?.[name]?.list?.i ?? []).map(Number);
}

/** The protobuf JSON mapping writes enum values as numbers or as names (DT_FLOAT). */
export function attrType(node: TfNode, name: string): number | undefined {
  const value = node.attr?.[name]?.type;
  if (value === undefined || typeof value === 'number') return value;
  const byName: Readonly<Record<string, number>> = { DT_FLOAT: TF_FLOAT, DT_INT32: TF_INT32, DT_INT64: TF_INT64, DT_BOOL: TF_BOOL };
  return byName[value];
}

/** Bytes attributes are base64 in the protobuf JSON mapping. */
export function attrString(node: TfNode, name: string): string | undefined {
  const value = node.attr?.[name]?.s;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}
