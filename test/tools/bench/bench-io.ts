// Captured stdout/stderr for runBench in tests.
import { Writable } from 'node:stream';

export interface CapturedIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly isTTY: boolean;
  out(): string;
  err(): string;
}

function sink(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
}

export function captureIo(isTTY = false): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: sink(out), stderr: sink(err), isTTY, out: () => out.join(''), err: () => err.join('') };
}
