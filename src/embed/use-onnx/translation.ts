// What an op translation (tf-ops.ts) sees of the conversion in progress (tf-to-onnx.ts), and the
// naming rules both share.

import { OnnxType, type OnnxAttribute } from './onnx-writer.js';
import { TF_BOOL, TF_FLOAT, type TfNode } from './tfjs-graph.js';

/** What an op translation sees: references to ONNX tensors, constants, and a way to emit nodes. */
export interface Translation {
  /** The ONNX name of a TF input reference (`name`, `name:1`); a constant's initializer is added on first use. */
  ref(input: string): string;
  /** The values of a TF constant input, or undefined when the input is computed. */
  constValues(input: string): number[] | undefined;
  constShape(input: string): readonly number[] | undefined;
  /** The node producing a TF input reference. */
  producer(input: string): TfNode | undefined;
  emit(op: string, inputs: readonly string[], outputs: readonly string[], attributes?: readonly OnnxAttribute[]): void;
  /** A new int64 initializer; returns its name. */
  int64(values: readonly (number | bigint)[], dims?: readonly number[]): string;
  /** A new initializer from a TF constant reshaped (same elements in the same order). */
  reshapedConst(input: string, dims: readonly number[]): string;
  fresh(base: string): string;
}

/** `name:0` and `name` are the same tensor; control inputs (`^name`) carry no data. */
export function tensorRef(input: string): string {
  return input.endsWith(':0') ? input.slice(0, -2) : input;
}

export function nodeName(input: string): string {
  return input.replace(/^\^/, '').replace(/:\d+$/, '');
}

export function onnxTypeOf(tfType: number | undefined): OnnxType {
  if (tfType === TF_FLOAT) return OnnxType.Float;
  if (tfType === TF_BOOL) return OnnxType.Bool;
  return OnnxType.Int64;
}
