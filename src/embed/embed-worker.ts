// worker_threads entry: loads one backend and answers embed requests, so model inference runs off the
// main event loop. Started by worker-pool.ts from the compiled dist/embed/embed-worker.js.

import { parentPort, workerData } from 'node:worker_threads';
import { loadBackend, type EmbedBackend } from './embed-backend.js';
import { serializeError, type EmbedRequest, type WorkerInit, type WorkerMessage } from './worker-protocol.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('embed-worker.js must run in a worker thread');
  const init = workerData as WorkerInit;
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

  let backend: EmbedBackend;
  try {
    backend = await loadBackend(init.spec, { threads: init.threads });
  } catch (error) {
    post({ type: 'load-error', error: serializeError(error) });
    return;
  }

  // One request at a time: the backend is synchronous CPU work, so a queue here would gain nothing.
  let chain = Promise.resolve();
  port.on('message', (request: EmbedRequest) => {
    chain = chain.then(async () => {
      try {
        const vectors = await backend.embed(request.texts);
        // Each vector owns its buffer (toUnitVector copies), so every buffer can be transferred, not copied.
        post({ type: 'vectors', id: request.id, vectors }, vectors.map((v) => v.buffer as ArrayBuffer));
      } catch (error) {
        post({ type: 'embed-error', id: request.id, error: serializeError(error) });
      }
    });
  });
  post({ type: 'ready', modelId: backend.modelId, dimension: backend.dimension });
}

void main();
