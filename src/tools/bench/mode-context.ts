// What every mode gets: the proxy to drive, a client, the interruption signal, progress output and
// the token tally the money figures are checked against.
import type { BenchClient } from './bench-client.js';
import type { BenchStack } from './bench-stack.js';
import type { CostSnapshot, TokenTally } from './money.js';
import type { ProgressSink } from './progress.js';

export interface ModeContext {
  readonly stack: BenchStack;
  readonly client: BenchClient;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
  readonly tally: TokenTally;
  readonly concurrency: number;
  /** The proxy's threshold for this run. */
  readonly threshold: number;
  /** The lowest threshold a request may ask for (SEMCACHE_THRESHOLD_MIN of the run). */
  readonly thresholdFloor: number;
  /** The proxy's money counters now, so a mode can leave a pass out of the money figures. */
  snapshot(): Promise<CostSnapshot>;
}

/** The four figures every mode puts at the top of its JSON. */
export interface Headline {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly hitRate: number | null;
  readonly falseHitRate: number | null;
}
