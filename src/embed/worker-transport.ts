// How an embedding worker is isolated from the main thread: a worker thread, or a child process.
//
// Threads are cheaper and suit USE-lite on TensorFlow.js (WebAssembly, one instance per thread).
// onnxruntime-node 1.21.0, which transformers.js 3.8 pins, cannot run in more than one thread of a
// process: its binding keeps the Tensor constructor in a process-global reference, so a second thread
// aborts the whole process ("FATAL ERROR: HandleScope::HandleScope Entering the V8 API without proper
// locking in place", microsoft/onnxruntime#24486, huggingface/transformers.js#1292), and a thread started
// after the first one ended cannot load the binding ("Module did not self-register"). Each child process
// gets its own copy of the binding, so USE-lite on onnxruntime and transformers.js run in processes.

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EmbedRequest, WorkerInit, WorkerMessage } from './worker-protocol.js';

export type WorkerIsolation = 'thread' | 'process';

export interface WorkerHandle {
  send(request: EmbedRequest): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called when the worker dies without being asked to: an uncaught error or an unexpected exit. */
  onFailure(listener: (error: Error) => void): void;
  terminate(): Promise<void>;
}

export function spawnWorker(isolation: WorkerIsolation, url: URL, init: WorkerInit): WorkerHandle {
  return isolation === 'thread' ? spawnThread(url, init) : spawnProcess(url, init);
}

function spawnThread(url: URL, init: WorkerInit): WorkerHandle {
  const worker = new Worker(url, { workerData: init });
  return {
    send: (request) => worker.postMessage(request),
    onMessage: (listener) => void worker.on('message', listener),
    onFailure(listener) {
      worker.on('error', (error: Error) => {
        listener(new Error(`embedding worker crashed: ${error.message}`, { cause: error }));
      });
      worker.on('exit', (code: number) => {
        listener(new Error(`embedding worker exited unexpectedly with code ${code}`));
      });
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

function spawnProcess(url: URL, init: WorkerInit): WorkerHandle {
  // The spec travels as an argument; 'advanced' serialization carries Float32Arrays back intact.
  // execArgv is cleared so flags of the parent (test runners' loaders, inspectors) do not leak in.
  const script = fileURLToPath(url);
  // A missing script would only show as "exited with code 1", its reason on the child's stderr.
  if (!existsSync(script)) throw new Error(`embedding worker script ${script} does not exist`);
  const child: ChildProcess = fork(script, [JSON.stringify(init)], {
    serialization: 'advanced',
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve()); // a process that never started never exits
  });
  return {
    send: (request) => void child.send(request),
    onMessage: (listener) => void child.on('message', (message) => listener(message as WorkerMessage)),
    onFailure(listener) {
      child.on('error', (error: Error) => {
        listener(new Error(`embedding process failed: ${error.message}`, { cause: error }));
      });
      child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        listener(new Error(`embedding process exited unexpectedly with ${signal ?? `code ${code}`}`));
      });
    },
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}
