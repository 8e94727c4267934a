// The converter: small TF graphs translated and run on onnxruntime (the ops whose translation is not
// one-to-one), and the converted USE-lite file written once per package and converter version.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxType } from '../../src/embed/use-onnx/onnx-writer.js';
import { convertTfGraph } from '../../src/embed/use-onnx/tf-to-onnx.js';
import { TF_FLOAT, TF_INT32, type TfConst, type TfGraph, type TfNode } from '../../src/embed/use-onnx/tfjs-graph.js';
import { loadUseOnnxModel, useModelFileName, writeUseOnnxModel } from '../../src/embed/use-onnx/use-onnx-model.js';

const ints = (values: number[], shape = [values.length]): TfConst => ({ dtype: 'int32', shape, data: Int32Array.from(values) });
const constNode = (name: string): TfNode => ({ name, op: 'Const', attr: { dtype: { type: TF_INT32 } } });
const attrs = (values: Record<string, number>): TfNode['attr'] => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { i: String(v) }]));

/** Runs `output` of a TF graph over a float input `x` of the given shape. */
async function run(
  nodes: TfNode[],
  consts: Record<string, TfConst>,
  output: string,
  x: number[],
  dims: number[],
  outputRank = 2,
): Promise<{ data: number[]; dims: readonly number[] }> {
  const graph: TfGraph = { nodes: [{ name: 'x', op: 'Placeholder', attr: { dtype: { type: TF_FLOAT } } }, ...nodes], consts: new Map(Object.entries(consts)) };
  const bytes = convertTfGraph(graph, {
    inputs: [{ name: 'x', type: OnnxType.Float, dims: dims.map((_, i) => `d${i}`) }],
    outputNode: output,
    output: { name: 'result', type: OnnxType.Float, dims: Array.from({ length: outputRank }, (_, i) => `r${i}`) },
    producerVersion: 'test',
  });
  const session = await InferenceSession.create(bytes);
  const result = (await session.run({ x: new Tensor('float32', Float32Array.from(x), dims) }))['result'];
  return { data: Array.from(result?.data as Float32Array), dims: result?.dims ?? [] };
}

describe('TF to ONNX translation', () => {
  const x = [0, 1, 2, 3, 4, 5]; // [[0, 1, 2], [3, 4, 5]]

  it('StridedSlice: begin and end masks take whole axes, x[:, 1:3]', async () => {
    const node: TfNode = { name: 'y', op: 'StridedSlice', input: ['x', 'b', 'e', 's'], attr: attrs({ begin_mask: 1, end_mask: 1 }) };
    const result = await run([node, constNode('b'), constNode('e'), constNode('s')], { b: ints([0, 1]), e: ints([0, 3]), s: ints([1, 1]) }, 'y', x, [2, 3]);
    expect(result).toEqual({ data: [1, 2, 4, 5], dims: [2, 2] });
  });

  it('StridedSlice: a shrunk axis is dropped, x[-1] (the last row)', async () => {
    const node: TfNode = { name: 'y', op: 'StridedSlice', input: ['x', 'b', 'e', 's'], attr: attrs({ shrink_axis_mask: 1 }) };
    const result = await run([node, constNode('b'), constNode('e'), constNode('s')], { b: ints([-1]), e: ints([0]), s: ints([1]) }, 'y', x, [2, 3], 1);
    expect(result).toEqual({ data: [3, 4, 5], dims: [3] });
  });

  it('BatchMatMul with adj_y transposes the last two axes of a rank it can tell: x @ x^T', async () => {
    const nodes: TfNode[] = [
      { name: 't', op: 'Transpose', input: ['x', 'perm'] },
      constNode('perm'),
      { name: 'y', op: 'BatchMatMul', input: ['t', 't'], attr: { adj_x: { b: false }, adj_y: { b: true } } },
    ];
    const result = await run(nodes, { perm: ints([0, 1]) }, 'y', x, [2, 3]);
    expect(result).toEqual({ data: [5, 14, 14, 50], dims: [2, 2] });
  });

  it('refuses an op it has no translation for, naming it and its node', async () => {
    await expect(run([{ name: 'y', op: 'Erf', input: ['x'] }], {}, 'y', x, [2, 3])).rejects.toThrow('TF op Erf (y) has no ONNX translation');
  });
});

describe('the converted USE-lite file', () => {
  const folders: string[] = [];
  const newFolder = async (): Promise<string> => {
    const folder = await mkdtemp(join(tmpdir(), 'semcache-use-onnx-'));
    folders.push(folder);
    return folder;
  };
  afterAll(async () => {
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('is written once, under a name that fingerprints the package and converter, replacing older ones', async () => {
    const folder = await newFolder();
    await writeFile(join(folder, 'use-lite-512-0000000000000000.onnx'), 'stale');
    const first = await writeUseOnnxModel(folder);
    const second = await writeUseOnnxModel(folder);
    expect(first).toEqual({ path: join(folder, await useModelFileName()), written: true });
    expect(second).toEqual({ path: first.path, written: false });
    expect(await readdir(folder)).toEqual([await useModelFileName()]);
  });

  it('is converted in memory when missing, and written for the next start', async () => {
    const folder = await newFolder();
    const converted = await loadUseOnnxModel(folder);
    expect(converted.kind).toBe('bytes');
    expect(converted.kind === 'bytes' && converted.bytes.length).toBeGreaterThan(20_000_000);
    expect(await loadUseOnnxModel(folder)).toEqual({ kind: 'file', path: join(folder, await useModelFileName()) });
  });
});
