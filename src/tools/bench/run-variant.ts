// One pass of a mode against one freshly started stack (the proxy as configured, or the
// exact-only baseline), with the money read from the proxy before it is shut down.
import type { BenchOptions } from './bench-args.js';
import { createBenchClient } from './bench-client.js';
import type { ModeDetails, VariantResult } from './bench-result.js';
import { startBenchStack, type BenchStack } from './bench-stack.js';
import { runLoad } from './load-mode.js';
import type { Headline, ModeContext } from './mode-context.js';
import { createTokenTally, moneyOf, readCostSnapshot, snapshotDelta, type CostSnapshot } from './money.js';
import type { PairRow } from './pairs-file.js';
import { runPairs, type PairsDetails } from './pairs-mode.js';
import type { ProgressSink } from './progress.js';
import type { StreamPrompt } from './stream-file.js';
import { runStream } from './stream-mode.js';

export type Workload =
  | { readonly mode: 'pairs'; readonly rows: readonly PairRow[] }
  | { readonly mode: 'stream'; readonly prompts: readonly StreamPrompt[] }
  | { readonly mode: 'load'; readonly warmPrompts: readonly string[] };

export interface VariantSettings {
  readonly cache: 'semantic' | 'exact';
  readonly options: BenchOptions;
  readonly proxyEnv: Readonly<Record<string, string>>;
  readonly threshold: number;
  readonly thresholdFloor: number;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
  /** Told the origins of the servers as soon as they listen (for logs and for tests). */
  readonly onStarted?: (stack: BenchStack) => void;
}

export interface VariantRun {
  readonly variant: VariantResult;
  /** pairs only: the sweep and the recommendation, which the result keeps at its top level. */
  readonly pairs: PairsDetails | undefined;
}

async function runMode(
  context: ModeContext,
  workload: Workload,
  options: BenchOptions,
): Promise<{ headline: Headline; details: ModeDetails; pairs?: PairsDetails; uncounted?: CostSnapshot | undefined }> {
  if (workload.mode === 'pairs') {
    const run = await runPairs(context, workload.rows, { sweepStep: options.sweepStep, targetPrecision: options.targetPrecision, feedback: options.feedback });
    const { sweep: _sweep, recommended: _recommended, ...pairs } = run.details;
    return { headline: run.headline, details: { mode: 'pairs', pairs }, pairs: run.details, uncounted: run.uncounted };
  }
  if (workload.mode === 'stream') {
    const run = await runStream(context, workload.prompts, {
      repeatRate: options.repeatRate,
      zipfS: options.zipfS,
      seed: options.seed,
      windows: options.windows,
    });
    return { headline: run.headline, details: { mode: 'stream', stream: run.details } };
  }
  const run = await runLoad(context, {
    durationMs: options.durationMs,
    roundMs: options.roundMs,
    mix: options.mix,
    warmPrompts: workload.warmPrompts,
    seed: options.seed,
    responsesShare: options.responsesShare,
  });
  return { headline: run.headline, details: { mode: 'load', load: run.details } };
}

export async function runVariant(settings: VariantSettings, workload: Workload): Promise<VariantRun> {
  const { options } = settings;
  const stack = await startBenchStack({
    proxyEnv: settings.proxyEnv,
    upstreamUrl: options.upstream,
    sim: { ttftMs: options.simTtftMs, tokensPerSecond: options.simTokensPerSecond },
  });
  const client = createBenchClient({ model: options.model, connections: options.concurrency });
  try {
    settings.onStarted?.(stack);
    settings.progress.stream.write(
      `${settings.cache === 'exact' ? 'exact-only baseline' : 'semcache'}: proxy ${stack.proxyOrigin}, upstream ${stack.upstreamUrl}\n`,
    );
    const tally = createTokenTally();
    const context: ModeContext = {
      stack,
      client,
      signal: settings.signal,
      progress: settings.progress,
      tally,
      concurrency: options.concurrency,
      threshold: settings.threshold,
      thresholdFloor: settings.thresholdFloor,
      snapshot: () => readCostSnapshot(stack.proxyOrigin, stack.adminToken),
    };
    const run = await runMode(context, workload, options);
    const final = await context.snapshot();
    const money = moneyOf(run.uncounted === undefined ? final : snapshotDelta(final, run.uncounted), tally);
    return { variant: { cache: settings.cache, ...run.headline, money, details: run.details }, pairs: run.pairs };
  } finally {
    await client.close();
    await stack.close();
  }
}
