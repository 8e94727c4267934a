// Writes ONNX model files without an ONNX library: the protobuf wire format
// (https://protobuf.dev/programming-guides/encoding/) for the few messages a model needs, with the field
// numbers of onnx/onnx.proto3. The same approach as scripts/make-tiny-minilm.mjs, typed.

/** TensorProto.DataType values. */
export const OnnxType = { Float: 1, Int64: 7, Bool: 9 } as const;
export type OnnxType = (typeof OnnxType)[keyof typeof OnnxType];

/** Opset 18 takes reduction axes as inputs; IR version 8 is what goes with it (onnxruntime >= 1.14). */
export const OPSET = 18;
const IR_VERSION = 8;

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;

type Bytes = Buffer;

function varint(value: number | bigint): Bytes {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // negative int64 values are sent as their 64-bit two's complement
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

const key = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);
const intField = (field: number, value: number | bigint): Bytes => Buffer.concat([key(field, 0), varint(value)]);

function bytesField(field: number, payload: string | Bytes): Bytes {
  const buf = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([key(field, 2), varint(buf.length), buf]);
}

function floatField(field: number, value: number): Bytes {
  const buf = Buffer.alloc(4);
  buf.writeFloatLE(value);
  return Buffer.concat([key(field, 5), buf]);
}

export interface OnnxTensor {
  readonly name: string;
  readonly type: OnnxType;
  readonly dims: readonly number[];
  /** Little-endian element bytes (ONNX raw_data). */
  readonly raw: Uint8Array;
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly (number | bigint)[]): OnnxTensor {
  const raw = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  return { name, type: OnnxType.Int64, dims, raw };
}

export function floatTensor(name: string, dims: readonly number[], values: readonly number[]): OnnxTensor {
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => raw.writeFloatLE(v, i * 4));
  return { name, type: OnnxType.Float, dims, raw };
}

function encodeTensor(tensor: OnnxTensor): Bytes {
  return Buffer.concat([
    ...tensor.dims.map((d) => intField(1, d)),
    intField(2, tensor.type),
    bytesField(8, tensor.name),
    bytesField(9, Buffer.from(tensor.raw.buffer, tensor.raw.byteOffset, tensor.raw.byteLength)),
  ]);
}

export type OnnxAttribute =
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly float: number }
  | { readonly name: string; readonly ints: readonly number[] }
  | { readonly name: string; readonly string: string }
  | { readonly name: string; readonly tensor: OnnxTensor };

function encodeAttribute(attribute: OnnxAttribute): Bytes {
  const name = bytesField(1, attribute.name);
  if ('int' in attribute) return Buffer.concat([name, intField(3, attribute.int), intField(20, ATTR_INT)]);
  if ('float' in attribute) return Buffer.concat([name, floatField(2, attribute.float), intField(20, ATTR_FLOAT)]);
  if ('ints' in attribute) return Buffer.concat([name, ...attribute.ints.map((i) => intField(8, i)), intField(20, ATTR_INTS)]);
  if ('string' in attribute) return Buffer.concat([name, bytesField(4, attribute.string), intField(20, ATTR_STRING)]);
  return Buffer.concat([name, bytesField(5, encodeTensor(attribute.tensor)), intField(20, ATTR_TENSOR)]);
}

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: readonly OnnxAttribute[];
}

function encodeNode(node: OnnxNode, index: number): Bytes {
  return Buffer.concat([
    ...node.inputs.map((i) => bytesField(1, i)),
    ...node.outputs.map((o) => bytesField(2, o)),
    bytesField(3, `${node.op}_${index}`),
    bytesField(4, node.op),
    ...(node.attributes ?? []).map((a) => bytesField(5, encodeAttribute(a))),
  ]);
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly type: OnnxType;
  /** A number is a fixed size, a string a named dynamic one. */
  readonly dims: readonly (number | string)[];
}

function encodeValueInfo(info: OnnxValueInfo): Bytes {
  const shape = Buffer.concat(info.dims.map((d) => bytesField(1, typeof d === 'number' ? intField(1, d) : bytesField(2, d))));
  const tensorType = Buffer.concat([intField(1, info.type), bytesField(2, shape)]);
  return Buffer.concat([bytesField(1, info.name), bytesField(2, bytesField(1, tensorType))]);
}

export interface OnnxModel {
  readonly graphName: string;
  readonly producer: string;
  readonly producerVersion: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export function encodeModel(model: OnnxModel): Buffer {
  const graph = Buffer.concat([
    ...model.nodes.map((n, i) => bytesField(1, encodeNode(n, i))),
    bytesField(2, model.graphName),
    ...model.initializers.map((t) => bytesField(5, encodeTensor(t))),
    ...model.inputs.map((v) => bytesField(11, encodeValueInfo(v))),
    ...model.outputs.map((v) => bytesField(12, encodeValueInfo(v))),
  ]);
  const opset = Buffer.concat([bytesField(1, ''), intField(2, OPSET)]);
  return Buffer.concat([
    intField(1, IR_VERSION),
    bytesField(2, model.producer),
    bytesField(3, model.producerVersion),
    bytesField(7, graph),
    bytesField(8, opset),
  ]);
}
