// Progress on stderr: a bar redrawn in place on a terminal, plain lines (every 10%) otherwise, so
// CI logs stay readable.
import type { Writable } from 'node:stream';

export interface Progress {
  tick(count?: number): void;
  done(): void;
}

export interface ProgressSink {
  readonly stream: Writable;
  readonly isTTY: boolean;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

export function createProgress(sink: ProgressSink, label: string, total: number): Progress {
  let count = 0;
  let lastDraw = 0;
  let lastDecile = -1;
  const line = (): string => {
    const pct = total > 0 ? Math.min(100, Math.floor((count / total) * 100)) : 100;
    return `${label}: ${count}/${total} (${pct}%)`;
  };
  const draw = (force: boolean): void => {
    if (sink.isTTY) {
      const now = Date.now();
      if (!force && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      const filled = total > 0 ? Math.min(BAR_WIDTH, Math.round((count / total) * BAR_WIDTH)) : BAR_WIDTH;
      sink.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${line()}`);
      return;
    }
    const decile = total > 0 ? Math.floor((count / total) * 10) : 10;
    if (decile > lastDecile || force) {
      lastDecile = decile;
      sink.stream.write(`${line()}\n`);
    }
  };
  draw(true);
  return {
    tick(n = 1) {
      count += n;
      draw(false);
    },
    done() {
      if (sink.isTTY) {
        draw(true);
        sink.stream.write('\n');
      } else if (lastDecile < 10) {
        draw(true);
      }
    },
  };
}
