// `semcache bench <mode>`: parses the flags, reads the workload, runs it through a freshly started
// proxy (and the exact-only baseline when asked), prints the tables and writes --json/--report.
// SIGINT/SIGTERM stop sending, shut down every server started, write what was measured, exit 130.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { BenchArgsError, benchHelp, parseBenchArgs, type BenchOptions } from './bench-args.js';
import { wantsHelp } from '../../flag-help.js';
import { SCHEMA_VERSION, type BenchResult } from './bench-result.js';
import type { BenchStack } from './bench-stack.js';
import { listenForInterruption } from './interruption.js';
import { syntheticPrompts } from './load-prompts.js';
import { BenchInputError, parsePairs } from './pairs-file.js';
import { writeReport } from './report.js';
import { recommendationLine, resultTables } from './result-tables.js';
import { parseStream } from './stream-file.js';
import { renderText } from './text-table.js';
import { runVariant, type VariantRun, type Workload } from './run-variant.js';
import { runSoakCommand } from './soak/soak-command.js';

export interface BenchIo {
  readonly stdout: NodeJS.WriteStream | Writable;
  readonly stderr: NodeJS.WriteStream | Writable;
  /** Whether stderr is a terminal: a redrawn progress bar then, plain lines otherwise. */
  readonly isTTY: boolean;
}

/** Where SIGINT/SIGTERM come from: `process` unless a test hands in its own emitter. */
export interface SignalSource {
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface BenchRunOptions {
  /** The caller's environment: its SEMCACHE_* settings configure the bench's proxy. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly signals?: SignalSource;
  readonly onStarted?: (stack: BenchStack) => void;
}

export const EXIT_INTERRUPTED = 130;

export const BENCH_USAGE = `Usage: semcache bench <pairs|stream|load|soak> [--flags]
  pairs  --file pairs.tsv      store every text_a, ask every text_b; precision/recall and a threshold sweep
  stream --file prompts.jsonl  replay prompts in order (--repeat-rate, --zipf-s); hit rate and precision over time
  load   [--file prompts.jsonl] a mix of hits, misses and pass-through for --duration seconds, with direct calls
  soak   [--duration 30]       mixed traffic with injected faults, bad inputs and slow clients; every answer checked
semcache bench --help lists every flag.`;

function proxyEnvOf(options: BenchOptions, env: Readonly<Record<string, string | undefined>>, threshold: number, floor: number): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('SEMCACHE_') && e[1] !== undefined));
  return {
    ...inherited,
    ...(options.embedWorkers === undefined ? {} : { SEMCACHE_EMBED_WORKERS: String(options.embedWorkers) }),
    ...(options.guards === undefined ? {} : { SEMCACHE_GUARDS: options.guards }),
    SEMCACHE_PRICING_FILE: options.pricing,
    ...options.set,
    SEMCACHE_THRESHOLD: String(threshold),
    SEMCACHE_THRESHOLD_MIN: String(floor),
    SEMCACHE_THRESHOLD_MAX: '1',
  };
}

async function readWorkload(options: BenchOptions): Promise<{ workload: Workload; rows: number }> {
  const text = options.file === undefined ? undefined : await readFile(options.file, 'utf8');
  if (options.mode === 'pairs') {
    const rows = parsePairs(text ?? '', options.limit);
    return { workload: { mode: 'pairs', rows }, rows: rows.length };
  }
  if (options.mode === 'stream') {
    const prompts = parseStream(text ?? '', options.limit);
    return { workload: { mode: 'stream', prompts }, rows: prompts.length };
  }
  const warmPrompts = text === undefined ? syntheticPrompts(options.warm) : parseStream(text, options.warm).map((p) => p.prompt);
  return { workload: { mode: 'load', warmPrompts }, rows: warmPrompts.length };
}

function commandLine(argv: readonly string[]): string {
  return ['semcache', 'bench', ...argv.map((a) => (/^[\w./:=,@-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

function assemble(
  options: BenchOptions,
  main: VariantRun,
  baseline: VariantRun | undefined,
  meta: { threshold: number; rows: number; interrupted: boolean; durationMs: number },
): BenchResult {
  const { variant, pairs } = main;
  const recommended = pairs?.recommended ?? null;
  return {
    precision: variant.precision,
    recall: variant.recall,
    hitRate: variant.hitRate,
    falseHitRate: variant.falseHitRate,
    schemaVersion: SCHEMA_VERSION,
    mode: options.mode,
    threshold: meta.threshold,
    sweep: pairs?.sweep ?? null,
    recommended:
      recommended === null
        ? null
        : {
            targetPrecision: pairs?.targetPrecision ?? options.targetPrecision,
            threshold: recommended.threshold,
            precision: recommended.precision,
            recall: recommended.recall,
            falseHitRate: recommended.falseHitRate,
          },
    money: variant.money,
    generatedAt: new Date().toISOString(),
    file: options.file ?? null,
    rows: meta.rows,
    model: options.model,
    upstream: options.upstream ?? 'simulated',
    pricing: options.pricing,
    concurrency: options.concurrency,
    interrupted: meta.interrupted,
    durationMs: Math.round(meta.durationMs),
    details: variant.details,
    baseline: baseline?.variant ?? null,
  };
}

async function writeOutputs(result: BenchResult, options: BenchOptions, argv: readonly string[], io: BenchIo): Promise<void> {
  io.stdout.write(`\n${resultTables(result).map(renderText).join('\n\n')}\n`);
  const recommendation = recommendationLine(result);
  if (recommendation !== undefined) io.stdout.write(`\n${recommendation}\n`);
  if (options.json !== undefined) {
    await mkdir(dirname(options.json), { recursive: true });
    await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
    io.stderr.write(`wrote ${options.json}\n`);
  }
  if (options.report !== undefined) {
    const chart = await writeReport(options.report, result, commandLine(argv));
    io.stderr.write(`wrote ${options.report} and ${chart}\n`);
  }
}

export async function runBench(argv: readonly string[], io: BenchIo, runOptions: BenchRunOptions = {}): Promise<number> {
  let options: BenchOptions;
  let loaded: { workload: Workload; rows: number };
  if (wantsHelp(argv)) {
    io.stdout.write(benchHelp(BENCH_USAGE.split('\n').slice(0, -1).join('\n')));
    return 0;
  }
  try {
    options = parseBenchArgs(argv);
    if (options.mode === 'soak') return await runSoakCommand(options, argv, io, runOptions);
    loaded = await readWorkload(options);
  } catch (error) {
    if (!(error instanceof BenchArgsError || error instanceof BenchInputError || (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
    io.stderr.write(`${(error as Error).message}\n\n${BENCH_USAGE}\n`);
    return 2;
  }
  const interruption = listenForInterruption(runOptions);
  const started = performance.now();
  try {
    const env = runOptions.env ?? {};
    const envThreshold = Number(options.set.SEMCACHE_THRESHOLD ?? env.SEMCACHE_THRESHOLD);
    const threshold = options.threshold ?? (Number.isFinite(envThreshold) && envThreshold > 0 ? envThreshold : 0.95);
    const floor = Math.min(options.sweepMin, threshold);
    const base = {
      options,
      threshold,
      thresholdFloor: floor,
      signal: interruption.signal,
      progress: { stream: io.stderr, isTTY: io.isTTY },
      ...(runOptions.onStarted === undefined ? {} : { onStarted: runOptions.onStarted }),
    };
    const proxyEnv = proxyEnvOf(options, env, threshold, floor);
    const main = await runVariant({ ...base, cache: 'semantic', proxyEnv }, loaded.workload);
    const baseline =
      options.baseline === 'exact' && !interruption.signal.aborted
        ? await runVariant({ ...base, cache: 'exact', proxyEnv: { ...proxyEnv, SEMCACHE_SEMANTIC: 'false' } }, loaded.workload)
        : undefined;
    const interrupted = interruption.signal.aborted;
    await writeOutputs(
      assemble(options, main, baseline, { threshold, rows: loaded.rows, interrupted, durationMs: performance.now() - started }),
      options,
      argv,
      io,
    );
    if (interrupted) io.stderr.write('interrupted: servers shut down, partial figures above\n');
    return interrupted ? EXIT_INTERRUPTED : 0;
  } catch (error) {
    io.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    interruption.release();
  }
}
