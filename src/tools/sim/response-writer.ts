// Writes the simulator's responses on the raw Node response: server-sent events on their schedule,
// and the deliberate breakages (cut, reset). Each SSE event is written when it is due; events due at
// the same moment share one write, which is what keeps a zero-latency stream cheap.

import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { delayUntilMs, type TimedEvent } from './latency-model.js';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
} as const;

// OpenAI streams end with `data: [DONE]`.
const DONE_EVENT = 'data: [DONE]\n\n';

export interface StreamOptions {
  /** After this many chunks, drop the connection without `[DONE]`; 0 = never. */
  cutAfterChunks: number;
  /** Called just before a deliberate cut, so the close is not taken for a client abort. */
  onCut: () => void;
  /** End with `data: [DONE]` (chat and completions; the Responses API's streams end without it). */
  done?: boolean;
}

export function streamEvents(res: ServerResponse, events: readonly TimedEvent[], options: StreamOptions): void {
  res.writeHead(200, SSE_HEADERS);
  // Real servers answer headers at once and the first token later; Node would hold the headers
  // back until the first write. When everything is due now, they leave with the first chunks.
  if ((events[0]?.atMs ?? 0) > 0) res.flushHeaders();
  // A cut larger than the stream still drops the connection, just before `[DONE]`.
  const cutAt = options.cutAfterChunks > 0 ? Math.min(options.cutAfterChunks, events.length) : 0;
  const start = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => clearTimeout(timer));

  const pump = (): void => {
    timer = undefined;
    if (res.destroyed) return;
    const elapsed = performance.now() - start;
    // Events due together go out in one write: one HTTP chunk, one syscall.
    let batch = '';
    for (let event = events[next]; event !== undefined && event.atMs <= elapsed; event = events[next]) {
      next++;
      batch += event.name === undefined ? `data: ${event.data}\n\n` : `event: ${event.name}\ndata: ${event.data}\n\n`;
      if (next === cutAt) {
        res.write(batch, () => breakConnection(res, options.onCut));
        return;
      }
    }
    const pending = events[next];
    if (pending === undefined) {
      res.end(options.done === false ? batch : batch + DONE_EVENT);
      return;
    }
    if (batch !== '') res.write(batch);
    timer = setTimeout(pump, delayUntilMs(pending, performance.now() - start));
  };
  pump();
}

/** Sends the head and the first half of `body`, then drops the connection. */
export function sendTruncatedJson(res: ServerResponse, status: number, body: string, onCut: () => void): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => breakConnection(res, onCut));
}

function breakConnection(res: ServerResponse, onCut: () => void): void {
  onCut();
  res.destroy();
}

/** Tears the connection down with a TCP reset and no answer at all, as a crashed server would. */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket !== null && !socket.destroyed) socket.resetAndDestroy();
  else res.destroy();
}

/** Waits `ms`; resolves false early if the client goes away meanwhile. */
export function waitWhileOpen(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0 || res.destroyed) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}
