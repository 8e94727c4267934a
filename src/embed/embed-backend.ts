// A backend computes embeddings in the calling thread. The worker pool runs one per worker (thread or
// process); small tools run one directly. This file is the only place that chooses between them, and it
// imports each lazily so a process never loads TensorFlow.js and onnxruntime both.

export interface EmbedBackend {
  /** e.g. `use-lite-512`, `transformers:Xenova/all-MiniLM-L6-v2-384`. */
  readonly modelId: string;
  readonly dimension: number;
  /** Unit-length vectors, one per text, in order. Blocks the calling thread while the model runs. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export type BackendSpec =
  /** USE-lite on onnxruntime-node (the default). */
  | { kind: 'use' }
  /** The same model on TensorFlow.js, the reference (several times slower). */
  | { kind: 'use-tfjs' }
  | {
      kind: 'transformers';
      /** A Hugging Face hub id (`Xenova/all-MiniLM-L6-v2`) or an absolute path to a local model folder. */
      model: string;
      /** When false, a model that is not on disk (or in `cacheDir`) fails to load instead of downloading. */
      allowRemote: boolean;
      /** Where downloaded hub models are cached; transformers.js defaults to a folder in node_modules. */
      cacheDir?: string;
    };

export interface BackendLoadOptions {
  /** Threads onnxruntime may use per backend (intra-op); the worker pool shares the cores among its workers. */
  threads?: number;
}

export async function loadBackend(spec: BackendSpec, options: BackendLoadOptions = {}): Promise<EmbedBackend> {
  switch (spec.kind) {
    case 'use': {
      const { loadUseOnnxBackend } = await import('./use-onnx-backend.js');
      return loadUseOnnxBackend(options);
    }
    case 'use-tfjs': {
      const { loadUseBackend } = await import('./use-backend.js');
      return loadUseBackend();
    }
    case 'transformers': {
      const { loadTransformersBackend } = await import('./transformers-backend.js');
      return loadTransformersBackend(spec, options);
    }
  }
}

/** A short human-readable name for logs and error messages. */
export function describeBackend(spec: BackendSpec): string {
  switch (spec.kind) {
    case 'use':
      return 'use-lite (bundled, onnxruntime)';
    case 'use-tfjs':
      return 'use-lite (bundled, TensorFlow.js)';
    case 'transformers':
      return `transformers "${spec.model}"`;
  }
}
