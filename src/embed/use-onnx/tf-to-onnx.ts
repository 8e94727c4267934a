// Translates a TensorFlow graph (as read from a TF.js graph model) into an ONNX graph, node by node,
// for the ops Universal Sentence Encoder lite uses. Every integer tensor becomes int64 in ONNX: TF mixes
// int32 and int64 where ONNX wants int64 (shapes, indices, axes), and the values involved (token ids,
// positions, sizes) fit either. Nodes are emitted in depth-first order from the output, which is a
// topological order, as ONNX requires, and leaves out whatever the output does not depend on.

import { encodeModel, int64Tensor, OnnxType, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-writer.js';
import type { TfConst, TfGraph } from './tfjs-graph.js';
import { translateNode } from './tf-ops.js';
import { nodeName, tensorRef, type Translation } from './translation.js';

export interface ConvertOptions {
  readonly inputs: readonly OnnxValueInfo[];
  /** The TF node whose (first) output is the model's output. */
  readonly outputNode: string;
  readonly output: OnnxValueInfo;
  readonly producerVersion: string;
}

function constToTensor(name: string, value: TfConst): OnnxTensor {
  if (value.dtype === 'float32') {
    const f = value.data as Float32Array;
    return { name, type: OnnxType.Float, dims: value.shape, raw: new Uint8Array(f.buffer, f.byteOffset, f.byteLength) };
  }
  if (value.dtype === 'bool') return { name, type: OnnxType.Bool, dims: value.shape, raw: value.data as Uint8Array };
  return int64Tensor(name, value.shape, Array.from(value.data));
}

export function convertTfGraph(graph: TfGraph, options: ConvertOptions): Buffer {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensor>();
  const inputNames = new Set(options.inputs.map((i) => i.name));
  let counter = 0;

  const constOf = (input: string): TfConst | undefined => {
    const node = byName.get(nodeName(input));
    return node?.op === 'Const' ? graph.consts.get(node.name) : undefined;
  };

  const translation: Translation = {
    ref(input) {
      const ref = tensorRef(input);
      const value = constOf(ref);
      if (value !== undefined && !initializers.has(ref)) initializers.set(ref, constToTensor(ref, value));
      return ref;
    },
    constValues: (input) => {
      const value = constOf(input);
      return value === undefined ? undefined : Array.from(value.data);
    },
    constShape: (input) => constOf(input)?.shape,
    producer: (input) => byName.get(nodeName(input)),
    emit: (op, inputs, outputs, attributes = []) => void nodes.push({ op, inputs, outputs, attributes }),
    int64(values, dims = [values.length]) {
      const name = translation.fresh('const');
      initializers.set(name, int64Tensor(name, dims, values));
      return name;
    },
    reshapedConst(input, dims) {
      const value = constOf(input);
      if (value === undefined) throw new Error(`${input} is not a constant`);
      const name = translation.fresh(`${tensorRef(input)}/reshaped`);
      initializers.set(name, { ...constToTensor(name, value), dims });
      return name;
    },
    fresh: (base) => `${base}/onnx_${counter++}`,
  };

  // Iterative depth-first post-order: inputs before the node that uses them.
  const done = new Set<string>();
  const stack: { name: string; expanded: boolean }[] = [{ name: options.outputNode, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop() as { name: string; expanded: boolean };
    if (done.has(top.name)) continue;
    const node = byName.get(top.name);
    if (node === undefined) throw new Error(`the graph has no node ${top.name}`);
    if (!top.expanded) {
      stack.push({ name: top.name, expanded: true });
      for (const input of node.input ?? []) if (!input.startsWith('^')) stack.push({ name: nodeName(input), expanded: false });
      continue;
    }
    done.add(top.name);
    if (node.op === 'Const') continue;
    if (node.op === 'Placeholder') {
      if (!inputNames.has(node.name)) throw new Error(`placeholder ${node.name} is not a declared input`);
      continue;
    }
    translateNode(node, translation);
  }

  translation.emit('Identity', [translation.ref(options.outputNode)], [options.output.name]);
  return encodeModel({
    graphName: 'use_lite',
    producer: 'semcache tf-to-onnx',
    producerVersion: options.producerVersion,
    nodes,
    initializers: [...initializers.values()],
    inputs: options.inputs,
    outputs: [options.output],
  });
}
