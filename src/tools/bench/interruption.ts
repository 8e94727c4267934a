// SIGINT, SIGTERM or the caller's abort signal end a bench run early; the figures so far are still
// reported. One place for the listening and for letting go of it, shared by every bench command.
import type { BenchRunOptions } from './bench-command.js';

export interface Interruption {
  /** Aborted once the run is asked to stop. */
  readonly signal: AbortSignal;
  /** Stops listening (call when the run ends, however it ends). */
  release(): void;
}

export function listenForInterruption(runOptions: BenchRunOptions): Interruption {
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  const signals = runOptions.signals ?? process;
  signals.once('SIGINT', interrupt);
  signals.once('SIGTERM', interrupt);
  runOptions.signal?.addEventListener('abort', interrupt, { once: true });
  return {
    signal: controller.signal,
    release() {
      signals.off('SIGINT', interrupt);
      signals.off('SIGTERM', interrupt);
      runOptions.signal?.removeEventListener('abort', interrupt);
    },
  };
}
