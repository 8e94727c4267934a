// Messages between the worker pool (main thread) and embed-worker.ts. Errors cross the thread boundary
// as plain data: structured clone keeps neither an Error's class nor its `cause`.

import type { BackendSpec } from './embed-backend.js';

export interface WorkerInit {
  readonly spec: BackendSpec;
  /** onnxruntime threads for this worker (see BackendLoadOptions). */
  readonly threads: number;
}

export interface EmbedRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export type WorkerMessage =
  | { readonly type: 'ready'; readonly modelId: string; readonly dimension: number }
  | { readonly type: 'load-error'; readonly error: SerializedError }
  | { readonly type: 'vectors'; readonly id: number; readonly vectors: Float32Array[]; readonly computeMs: number }
  | { readonly type: 'embed-error'; readonly id: number; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return error.stack === undefined ? { name: error.name, message: error.message } : { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: 'Error', message: String(error) };
}

export function deserializeError(data: SerializedError): Error {
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
