// One translation per TensorFlow op (semantics from tensorflow/core/ops and the ONNX operator docs,
// opset 18). Arguments that ONNX wants as attributes or that decide the translation (axes, permutations,
// slice bounds) must be constants in the TF graph; anything else is refused with the node's name.

import { floatTensor, int64Tensor, OnnxType } from './onnx-writer.js';
import { attrBool, attrInt, attrInts, attrString, attrType, type TfNode } from './tfjs-graph.js';
import { onnxTypeOf, tensorRef, type Translation } from './translation.js';

const INT64_MAX = 9_223_372_036_854_775_807n;
const INT64_MIN = -9_223_372_036_854_775_808n;

/** TF ops that are one ONNX op with the same inputs in the same order. */
const SAME: Readonly<Record<string, string>> = {
  Add: 'Add',
  AddV2: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Less: 'Less',
  Greater: 'Greater',
  LogicalNot: 'Not',
  Sin: 'Sin',
  Cos: 'Cos',
  Tanh: 'Tanh',
  Relu: 'Relu',
  Softmax: 'Softmax', // both over the last axis
  Shape: 'Shape',
  Range: 'Range',
  GatherNd: 'GatherND',
  Identity: 'Identity',
};

const REDUCE: Readonly<Record<string, string>> = { Max: 'ReduceMax', Sum: 'ReduceSum', Mean: 'ReduceMean', Prod: 'ReduceProd' };

type OpTranslator = (node: TfNode, t: Translation, inputs: readonly string[]) => void;

function constInput(node: TfNode, t: Translation, input: string | undefined, what: string): number[] {
  const values = input === undefined ? undefined : t.constValues(input);
  if (values === undefined) throw new Error(`${node.op} ${node.name}: ${what} must be a constant`);
  return values;
}

/** TF StridedSlice with constant bounds: an ONNX Slice, then a Squeeze for the shrunk axes. */
const stridedSlice: OpTranslator = (node, t, inputs) => {
  const [input, beginRef, endRef, stridesRef] = inputs;
  if ((attrInt(node, 'ellipsis_mask') ?? 0) !== 0 || (attrInt(node, 'new_axis_mask') ?? 0) !== 0) {
    throw new Error(`StridedSlice ${node.name}: ellipsis and new-axis masks are not supported`);
  }
  const begin = constInput(node, t, beginRef, 'begin');
  const end = constInput(node, t, endRef, 'end');
  const strides = constInput(node, t, stridesRef, 'strides');
  const beginMask = attrInt(node, 'begin_mask') ?? 0;
  const endMask = attrInt(node, 'end_mask') ?? 0;
  const shrinkMask = attrInt(node, 'shrink_axis_mask') ?? 0;
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const shrunk: number[] = [];
  begin.forEach((b, axis) => {
    const bit = 1 << axis;
    const step = strides[axis] ?? 1;
    if ((shrinkMask & bit) !== 0) {
      starts.push(BigInt(b));
      ends.push(b === -1 ? INT64_MAX : BigInt(b + 1));
      shrunk.push(axis);
      return;
    }
    starts.push((beginMask & bit) !== 0 ? (step > 0 ? 0n : INT64_MAX) : BigInt(b));
    ends.push((endMask & bit) !== 0 ? (step > 0 ? INT64_MAX : INT64_MIN) : BigInt(end[axis] ?? 0));
  });
  const axes = begin.map((_, axis) => axis);
  const sliced = shrunk.length === 0 ? node.name : t.fresh(`${node.name}/slice`);
  t.emit('Slice', [t.ref(input ?? ''), t.int64(starts), t.int64(ends), t.int64(axes), t.int64(strides)], [sliced]);
  if (shrunk.length > 0) t.emit('Squeeze', [sliced, t.int64(shrunk)], [node.name]);
};

/** TF Slice(input, begin, size), size -1 meaning "to the end". */
const slice: OpTranslator = (node, t, inputs) => {
  const [input, beginRef, sizeRef] = inputs;
  const begin = constInput(node, t, beginRef, 'begin');
  const size = constInput(node, t, sizeRef, 'size');
  const ends = begin.map((b, i) => ((size[i] ?? -1) === -1 ? INT64_MAX : BigInt(b + (size[i] ?? 0))));
  t.emit('Slice', [t.ref(input ?? ''), t.int64(begin), t.int64(ends), t.int64(begin.map((_, i) => i))], [node.name]);
};

/** Rank of a tensor where the graph makes it plain; needed to swap the last two axes. */
function rankOf(t: Translation, input: string): number | undefined {
  const node = t.producer(input);
  if (node === undefined) return undefined;
  if (node.op === 'Transpose') return t.constValues(node.input?.[1] ?? '')?.length;
  if (node.op === 'Reshape') {
    const shape = node.input?.[1] ?? '';
    return t.constValues(shape)?.length ?? (t.producer(shape)?.op === 'Pack' ? t.producer(shape)?.input?.length : undefined);
  }
  if (['Mul', 'Add', 'AddV2', 'Sub', 'RealDiv', 'BiasAdd', 'Softmax'].includes(node.op)) {
    const ranks = (node.input ?? []).map((i) => rankOf(t, i)).filter((r): r is number => r !== undefined);
    return ranks.length === 0 ? undefined : Math.max(...ranks);
  }
  return undefined;
}

function transposedLastTwo(node: TfNode, t: Translation, input: string): string {
  const rank = rankOf(t, input);
  if (rank === undefined) throw new Error(`${node.op} ${node.name}: cannot tell the rank of ${input} to transpose it`);
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  const out = t.fresh(`${tensorRef(input)}/transposed`);
  t.emit('Transpose', [t.ref(input)], [out], [{ name: 'perm', ints: perm }]);
  return out;
}

function matMul(node: TfNode, t: Translation, inputs: readonly string[], flags: readonly [string, string]): void {
  const [a, b] = inputs;
  if (a === undefined || b === undefined) throw new Error(`${node.op} ${node.name}: two inputs expected`);
  const left = attrBool(node, flags[0]) ? transposedLastTwo(node, t, a) : t.ref(a);
  const right = attrBool(node, flags[1]) ? transposedLastTwo(node, t, b) : t.ref(b);
  t.emit('MatMul', [left, right], [node.name]);
}

/** A 1x1 NHWC convolution with unit strides is a matrix product over the channel axis. */
const conv2d: OpTranslator = (node, t, inputs) => {
  const [input, kernelRef] = inputs;
  const shape = t.constShape(kernelRef ?? '');
  const unit = (list: number[]): boolean => list.length === 0 || list.every((v) => v === 1);
  if (shape?.length !== 4 || shape[0] !== 1 || shape[1] !== 1 || !unit(attrInts(node, 'strides')) || !unit(attrInts(node, 'dilations'))) {
    throw new Error(`Conv2D ${node.name}: only 1x1 kernels with unit strides are supported`);
  }
  if ((attrString(node, 'data_format') ?? 'NHWC') !== 'NHWC') throw new Error(`Conv2D ${node.name}: only NHWC is supported`);
  t.emit('MatMul', [t.ref(input ?? ''), t.reshapedConst(kernelRef ?? '', [shape[2] ?? 0, shape[3] ?? 0])], [node.name]);
};

/** TF ScatterNd / SparseToDense: ONNX ScatterND into a tensor of the given shape filled with `fill`. */
function scatterInto(node: TfNode, t: Translation, parts: { indices: string; updates: string; shape: string; fill: number; type: number | undefined }): void {
  const type = onnxTypeOf(parts.type);
  const fill = type === OnnxType.Float ? floatTensor('fill', [1], [parts.fill]) : int64Tensor('fill', [1], [parts.fill]);
  if (type === OnnxType.Bool) throw new Error(`${node.op} ${node.name}: bool values are not supported`);
  const base = t.fresh(`${node.name}/base`);
  t.emit('ConstantOfShape', [t.ref(parts.shape)], [base], [{ name: 'value', tensor: fill }]);
  t.emit('ScatterND', [base, t.ref(parts.indices), t.ref(parts.updates)], [node.name]);
}

const OPS: Readonly<Record<string, OpTranslator>> = {
  BiasAdd(node, t, [x, bias]) {
    if ((attrString(node, 'data_format') ?? 'NHWC') !== 'NHWC') throw new Error(`BiasAdd ${node.name}: only NHWC is supported`);
    t.emit('Add', [t.ref(x ?? ''), t.ref(bias ?? '')], [node.name]);
  },
  Square: (node, t, [x]) => t.emit('Mul', [t.ref(x ?? ''), t.ref(x ?? '')], [node.name]),
  Rsqrt(node, t, [x]) {
    const root = t.fresh(`${node.name}/sqrt`);
    t.emit('Sqrt', [t.ref(x ?? '')], [root]);
    t.emit('Reciprocal', [root], [node.name]);
  },
  Cast: (node, t, [x]) => t.emit('Cast', [t.ref(x ?? '')], [node.name], [{ name: 'to', int: onnxTypeOf(attrType(node, 'DstT')) }]),
  // TF Where with one input lists the coordinates of true elements as [count, rank] int64.
  Where(node, t, inputs) {
    if (inputs.length !== 1) throw new Error(`Where ${node.name}: only the one-input form is supported`);
    const coordinates = t.fresh(`${node.name}/nonzero`);
    t.emit('NonZero', [t.ref(inputs[0] ?? '')], [coordinates]);
    t.emit('Transpose', [coordinates], [node.name], [{ name: 'perm', ints: [1, 0] }]);
  },
  // allowzero: a 0 in a TF shape means an empty axis, not "copy this axis" as ONNX's default does.
  Reshape: (node, t, [x, shape]) => t.emit('Reshape', [t.ref(x ?? ''), t.ref(shape ?? '')], [node.name], [{ name: 'allowzero', int: 1 }]),
  GatherV2(node, t, [params, indices, axis]) {
    if ((attrInt(node, 'batch_dims') ?? 0) !== 0) throw new Error(`GatherV2 ${node.name}: batch_dims is not supported`);
    const [a] = constInput(node, t, axis, 'axis');
    t.emit('Gather', [t.ref(params ?? ''), t.ref(indices ?? '')], [node.name], [{ name: 'axis', int: a ?? 0 }]);
  },
  ExpandDims: (node, t, [x, dim]) => t.emit('Unsqueeze', [t.ref(x ?? ''), t.int64(constInput(node, t, dim, 'dim'))], [node.name]),
  Squeeze(node, t, [x]) {
    const dims = attrInts(node, 'squeeze_dims');
    t.emit('Squeeze', dims.length === 0 ? [t.ref(x ?? '')] : [t.ref(x ?? ''), t.int64(dims)], [node.name]);
  },
  ConcatV2(node, t, inputs) {
    const [axis] = constInput(node, t, inputs[inputs.length - 1], 'axis');
    t.emit(
      'Concat',
      inputs.slice(0, -1).map((i) => t.ref(i)),
      [node.name],
      [{ name: 'axis', int: axis ?? 0 }],
    );
  },
  // Stacking is inserting the new axis in every input, then joining along it.
  Pack(node, t, inputs) {
    const axis = attrInt(node, 'axis') ?? 0;
    const axes = t.int64([axis]);
    const expanded = inputs.map((input) => {
      const out = t.fresh(`${node.name}/item`);
      t.emit('Unsqueeze', [t.ref(input), axes], [out]);
      return out;
    });
    t.emit('Concat', expanded, [node.name], [{ name: 'axis', int: axis }]);
  },
  Transpose: (node, t, [x, perm]) => t.emit('Transpose', [t.ref(x ?? '')], [node.name], [{ name: 'perm', ints: constInput(node, t, perm, 'perm') }]),
  SplitV(node, t, [x, sizes, axis]) {
    const split = constInput(node, t, sizes, 'size_splits');
    if (split.includes(-1)) throw new Error(`SplitV ${node.name}: a -1 size is not supported`);
    const [a] = constInput(node, t, axis, 'axis');
    const outputs = split.map((_, i) => (i === 0 ? node.name : `${node.name}:${i}`));
    t.emit('Split', [t.ref(x ?? ''), t.int64(split)], outputs, [{ name: 'axis', int: a ?? 0 }]);
  },
  StridedSlice: stridedSlice,
  Slice: slice,
  MatMul: (node, t, inputs) => matMul(node, t, inputs, ['transpose_a', 'transpose_b']),
  BatchMatMul: (node, t, inputs) => matMul(node, t, inputs, ['adj_x', 'adj_y']),
  BatchMatMulV2: (node, t, inputs) => matMul(node, t, inputs, ['adj_x', 'adj_y']),
  Conv2D: conv2d,
  SparseToDense(node, t, [indices, shape, values, fallback]) {
    const [fill] = constInput(node, t, fallback, 'default_value');
    scatterInto(node, t, { indices: indices ?? '', updates: values ?? '', shape: shape ?? '', fill: fill ?? 0, type: attrType(node, 'T') });
  },
  ScatterNd: (node, t, [indices, updates, shape]) =>
    scatterInto(node, t, { indices: indices ?? '', updates: updates ?? '', shape: shape ?? '', fill: 0, type: attrType(node, 'T') }),
};

export function translateNode(node: TfNode, t: Translation): void {
  const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
  const same = SAME[node.op];
  if (same !== undefined)
    return t.emit(
      same,
      inputs.map((i) => t.ref(i)),
      [node.name],
    );
  const reduce = REDUCE[node.op];
  if (reduce !== undefined) {
    const [x, axes] = inputs;
    const keep = attrBool(node, 'keep_dims') ? 1 : 0;
    return t.emit(reduce, [t.ref(x ?? ''), t.int64(constInput(node, t, axes, 'axes'))], [node.name], [{ name: 'keepdims', int: keep }]);
  }
  const translate = OPS[node.op];
  if (translate === undefined) throw new Error(`TF op ${node.op} (${node.name}) has no ONNX translation`);
  translate(node, t, inputs);
}
