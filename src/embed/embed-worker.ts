// Entry of an embedding worker, run as a worker thread or a child process (see worker-transport.ts):
// loads one backend and answers embed requests, so model inference runs off the main event loop.
// Started by the worker pool from the compiled dist/embed/embed-worker.js.

import { parentPort, workerData } from 'node:worker_threads';
import { loadBackend, type EmbedBackend } from './embed-backend.js';
import { serializeError, type EmbedRequest, type WorkerInit, type WorkerMessage } from './worker-protocol.js';

interface ParentChannel {
  readonly init: WorkerInit;
  post(message: WorkerMessage, transfer: ArrayBuffer[]): void;
  onRequest(listener: (request: EmbedRequest) => void): void;
}

function connectToParent(): ParentChannel {
  const port = parentPort;
  if (port !== null) {
    return {
      init: workerData as WorkerInit,
      post: (message, transfer) => port.postMessage(message, transfer),
      onRequest: (listener) => void port.on('message', listener),
    };
  }
  const send = process.send?.bind(process);
  const initArgument = process.argv[2];
  if (send === undefined || initArgument === undefined) {
    throw new Error('embed-worker.js must be started by the embedding worker pool');
  }
  // Without its parent the process has nothing to do; leaving keeps a crashed proxy from leaking workers.
  process.on('disconnect', () => process.exit(0));
  return {
    init: JSON.parse(initArgument) as WorkerInit,
    post: (message) => void send(message),
    onRequest: (listener) => void process.on('message', (request) => listener(request as EmbedRequest)),
  };
}

// The first embeddings of a fresh model run 3-30 times slower (measured with USE-lite: 290 ms, then
// 20-40 ms, then 10 ms) while the engine compiles its kernels for new input shapes: pay that before
// reporting ready, not on the first requests.
const WARM_UP_TEXTS = [
  'hi',
  'How do I reset my password?',
  'What is the boiling point of water at sea level, in degrees Fahrenheit?',
  'Could you explain, step by step and with an example, how photosynthesis turns light into sugar in a plant leaf?',
];
const WARM_UP_ROUNDS = 3;

async function warmUp(backend: EmbedBackend): Promise<void> {
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
    for (const text of WARM_UP_TEXTS) await backend.embed([text]);
    await backend.embed(WARM_UP_TEXTS);
  }
}

async function main(): Promise<void> {
  const parent = connectToParent();
  let backend: EmbedBackend;
  try {
    backend = await loadBackend(parent.init.spec, { threads: parent.init.threads });
    await warmUp(backend);
  } catch (error) {
    parent.post({ type: 'load-error', error: serializeError(error) }, []);
    return;
  }

  // One request at a time: the backend is synchronous CPU work, so overlapping them would gain nothing.
  let chain = Promise.resolve();
  parent.onRequest((request) => {
    chain = chain.then(async () => {
      try {
        const started = performance.now();
        const vectors = await backend.embed(request.texts);
        const computeMs = performance.now() - started;
        // Each vector owns its buffer (toUnitVector copies), so a thread can take them without a copy.
        parent.post(
          { type: 'vectors', id: request.id, vectors, computeMs },
          vectors.map((v) => v.buffer as ArrayBuffer),
        );
      } catch (error) {
        parent.post({ type: 'embed-error', id: request.id, error: serializeError(error) }, []);
      }
    });
  });
  parent.post({ type: 'ready', modelId: backend.modelId, dimension: backend.dimension }, []);
}

void main();
