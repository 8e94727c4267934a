// `semcache bench soak`: the proxy (its own process) in front of the simulated upstream, under a
// bounded run of mixed traffic with faults, bad inputs and misbehaving clients at a fixed
// concurrency; every answer judged as it comes back, the proxy's memory, event loop and /healthz
// watched throughout, and every entry left in the cache audited at the end.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig, type Config } from '../../../config.js';
import { percentile } from '../latency-stats.js';
import { sumOfMetric } from '../prometheus-text.js';
import type { ProgressSink } from '../progress.js';
import { createPrng } from '../../sim/prng.js';
import { startSimUpstream, type SimUpstream } from '../../sim/sim-app.js';
import { createAnswerBook, type AnswerBook } from './answer-book.js';
import { auditEntries, type EntryAudit } from './entry-audit.js';
import { judge } from './judge.js';
import { createSoakClient } from './soak-client.js';
import { createSoakPlan, drawKind, REFUSED_KEY, SHARED_NAMESPACE, type PlannedRequest, type SoakKind } from './soak-plan.js';
import { createSoakPrompts, type SoakPrompts } from './soak-prompts.js';
import { startSoakProxy, type SoakProxy } from './soak-proxy.js';
import { createSoakTally, type SoakResult, type SoakTally } from './soak-result.js';

/** The proxy's settings for a soak, unless the caller's SEMCACHE_* say otherwise: bounds small
 * enough to be reached and evicted from within a run, a short upstream timeout so that stalls
 * end within it, a 1 MiB body limit so that an oversized body is cheap to send. */
export const SOAK_DEFAULTS: Readonly<Record<string, string>> = {
  SEMCACHE_MAX_ENTRIES: '2000',
  SEMCACHE_MAX_BYTES: String(64 * 1024 * 1024),
  SEMCACHE_UPSTREAM_TIMEOUT_MS: '2000',
  SEMCACHE_BODY_LIMIT_BYTES: String(1024 * 1024),
  SEMCACHE_LOG_LEVEL: 'warn',
  SEMCACHE_SHUTDOWN_GRACE_MS: '5000',
};
/** What the proxy's resident memory may grow by beyond the entries' byte bound: the V8 heap's
 * headroom and garbage between collections, socket buffers of the connections in flight, the
 * embedding workers' queues. Measured, then stated (bench/RESULTS.md). */
export const RSS_OVERHEAD_MIB = 256;
const SAMPLE_EVERY_MS = 1_000;
const HEALTHZ_EVERY_MS = 100;
const PROGRESS_EVERY_MS = 10_000;
/** Requests whose latency is reported: neither faulted nor sent by a misbehaving client. */
const ORDINARY: ReadonlySet<SoakKind> = new Set(['chat', 'chat-stream', 'completion', 'completion-stream', 'shared-namespace', 'first-seen-key']);

export interface SoakOptions {
  readonly durationMs: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly model: string;
  readonly prompts: readonly string[];
  /** SEMCACHE_* settings of the caller (environment, then --set), over SOAK_DEFAULTS. */
  readonly settings: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
}

const MIB = 1024 * 1024;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
}

interface Watched {
  rssMax: number;
  loopP99Max: number;
  loopMax: number;
  /** The same figure for the soak's own process (the load generator and the simulator). */
  driverLoopP99Max: number;
  /** Every one-second p99 of the proxy's and of the soak's own event-loop delay. */
  readonly loopP99s: number[];
  readonly driverLoopP99s: number[];
  readonly healthz: number[];
  healthzFailures: number;
}

/** Polls until stopped: the proxy's metrics every second, /healthz every 100 ms. */
function watch(proxy: SoakProxy): { stop(): Promise<Watched> } {
  const state = {
    rssMax: 0,
    loopP99Max: 0,
    loopMax: 0,
    driverLoopP99Max: 0,
    loopP99s: [] as number[],
    driverLoopP99s: [] as number[],
    healthz: [] as number[],
    healthzFailures: 0,
    running: true,
  };
  const driverLoop = monitorEventLoopDelay({ resolution: 10 });
  driverLoop.enable();
  const sampling = (async () => {
    while (state.running) {
      const driverP99 = driverLoop.percentile(99) / 1e6;
      state.driverLoopP99Max = Math.max(state.driverLoopP99Max, driverP99);
      state.driverLoopP99s.push(driverP99);
      driverLoop.reset();
      const sample = await proxy.sample();
      if (sample !== undefined) {
        state.loopP99s.push(sample.loopP99Ms);
        state.rssMax = Math.max(state.rssMax, sample.rssBytes);
        state.loopP99Max = Math.max(state.loopP99Max, sample.loopP99Ms);
        state.loopMax = Math.max(state.loopMax, sample.loopMaxMs);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  const probing = (async () => {
    while (state.running) {
      const started = performance.now();
      try {
        const response = await fetch(`${proxy.origin}/healthz`);
        await response.text();
        if (response.status === 200) state.healthz.push(performance.now() - started);
        else state.healthzFailures++;
      } catch {
        state.healthzFailures++;
      }
      await new Promise((resolve) => setTimeout(resolve, HEALTHZ_EVERY_MS));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await Promise.all([sampling, probing]);
      driverLoop.disable();
      return state;
    },
  };
}

interface Traffic {
  readonly tally: SoakTally;
  readonly durationMs: number;
}

/** `concurrency` clients, each sending the next planned request as soon as its last one is judged,
 * until the deadline, an interruption, or the proxy's exit. */
async function drive(
  proxy: SoakProxy,
  options: SoakOptions,
  plan: (kind: SoakKind) => PlannedRequest,
  context: { next: () => number; prompts: SoakPrompts; book: AnswerBook },
): Promise<Traffic> {
  const client = createSoakClient(proxy.origin, options.concurrency * 2);
  const tally = createSoakTally();
  const started = performance.now();
  const deadline = started + options.durationMs;
  let lastReport = started;
  const worker = async (): Promise<void> => {
    while (!options.signal.aborted && performance.now() < deadline && proxy.exitCode() === null) {
      const request = plan(drawKind(context.next));
      const sent = performance.now();
      const seen = await client.send(request);
      const asked = {
        prompt: request.prompt,
        stream: request.stream,
        expect: request.expect,
        sameGroup: (p: string) => request.prompt !== undefined && context.prompts.sameGroup(p, request.prompt),
      };
      tally.add(request.kind, judge(asked, seen, context.book), ORDINARY.has(request.kind) ? performance.now() - sent : undefined);
      if (performance.now() - lastReport > PROGRESS_EVERY_MS) {
        lastReport = performance.now();
        options.progress.stream.write(`soak: ${Math.round((lastReport - started) / 1000)} s, ${tally.requests} requests\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const durationMs = performance.now() - started;
  await client.close();
  return { tally, durationMs };
}

interface Ending {
  readonly traffic: Traffic;
  readonly watched: Watched;
  readonly audit: EntryAudit;
  readonly metrics: string;
  readonly exitCode: number | null;
  readonly rssStart: number;
  readonly loadStart: number;
}

function resultOf(options: SoakOptions, config: Config, sim: SimUpstream, proxy: SoakProxy, end: Ending): SoakResult {
  const figures = end.traffic.tally.snapshot();
  const { watched } = end;
  const maxBytesMiB = config.cache.maxBytes / MIB;
  const rssBoundMiB = end.rssStart / MIB + maxBytesMiB + RSS_OVERHEAD_MIB;
  const healthz = [...watched.healthz].sort((a, b) => a - b);
  const faults = sim.stats.faults;
  const upstream = {
    errors: faults.errors,
    stalls: faults.stalls,
    cuts: faults.cuts,
    resets: faults.resets,
    slowFirstBytes: figures.byKind['slow-first-byte'],
  };
  const client = {
    aborts: figures.byKind['client-abort'],
    badBodies: figures.byKind['bad-body'],
    slowHeaders: figures.byKind['slow-headers'],
    slowReads: figures.byKind['slow-read'],
    refusedKey: figures.byKind['refused-key'],
  };
  const total = [...Object.values(upstream), ...Object.values(client)].reduce((a, b) => a + b, 0);
  const rssWithinBound = watched.rssMax / MIB <= rssBoundMiB;
  const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
  return {
    schemaVersion: 1,
    mode: 'soak',
    passed:
      figures.unexpectedErrors === 0 && figures.partialAnswersServed === 0 && end.audit.fromFailedAnswers === 0 && rssWithinBound && end.exitCode === null,
    generatedAt: new Date().toISOString(),
    interrupted: options.signal.aborted,
    durationMs: Math.round(end.traffic.durationMs),
    concurrency: options.concurrency,
    seed: options.seed,
    model: options.model,
    requestsPerSecond: round((figures.requests * 1000) / end.traffic.durationMs, 2),
    ...figures,
    faultsInjected: { total, upstream, client },
    entriesChecked: end.audit.checked,
    entriesFromFailedAnswers: end.audit.fromFailedAnswers,
    entrySamples: end.audit.samples,
    rssStartMiB: round(end.rssStart / MIB),
    rssMaxMiB: round(watched.rssMax / MIB),
    rssBoundMiB: round(rssBoundMiB),
    rssWithinBound,
    bounds: { maxEntries: config.cache.maxEntries, maxBytesMiB, overheadMiB: RSS_OVERHEAD_MIB, upstreamTimeoutMs: config.upstream.timeoutMs },
    eventLoopDelayP99Ms: round(watched.loopP99Max, 2),
    eventLoopDelayMaxMs: round(watched.loopMax, 2),
    eventLoopDelayP99MedianMs: round(median(watched.loopP99s), 2),
    driverEventLoopDelayP99Ms: round(watched.driverLoopP99Max, 2),
    driverEventLoopDelayP99MedianMs: round(median(watched.driverLoopP99s), 2),
    healthzP99Ms: healthz.length === 0 ? null : round(percentile(healthz, 99) ?? 0, 2),
    healthzMaxMs: healthz.length === 0 ? null : round(healthz.at(-1) ?? 0, 2),
    healthzFailures: watched.healthzFailures,
    keys: { checks: sumOfMetric(end.metrics, 'semcache_key_checks_total'), refusals: sumOfMetric(end.metrics, 'semcache_key_refusals_total') },
    cacheMiB: round(sumOfMetric(end.metrics, 'semcache_index_bytes') / MIB),
    proxyLog: { warn: proxy.logs.warn, error: proxy.logs.error, samples: [...proxy.logs.samples] },
    proxyExitCode: end.exitCode,
    loadAverage: { start: round(end.loadStart, 2), end: round(loadavg()[0] ?? 0, 2) },
  };
}

/** The proxy's SEMCACHE_* settings: the soak's defaults (a SQLite file in `storeDir` among them),
 * the caller's over them, and what the soak itself must decide. */
export function soakProxySettings(
  caller: Readonly<Record<string, string>>,
  run: { readonly storeDir: string; readonly upstreamUrl: string; readonly adminToken: string },
): Record<string, string> {
  return {
    ...SOAK_DEFAULTS,
    SEMCACHE_STORE: `sqlite:${join(run.storeDir, 'cache.db')}`,
    ...caller,
    SEMCACHE_UPSTREAM_URL: run.upstreamUrl,
    SEMCACHE_ADMIN_TOKEN: run.adminToken,
    SEMCACHE_SHARED_NAMESPACES: SHARED_NAMESPACE,
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  // A store of its own, unless the caller names one: `serve`'s default file is shared by every run
  // started in the same folder, and a run would then serve the entries of the one before, answers
  // to prompts its judge has not seen (found as "foreign answers" at the start of a run).
  const storeDir = await mkdtemp(join(tmpdir(), 'semcache-soak-'));
  const sim = await startSimUpstream({ refusedKeys: [REFUSED_KEY] }, { port: 0, host: '127.0.0.1' }).catch(async (error: unknown) => {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  });
  const adminToken = randomBytes(16).toString('hex');
  const settings = soakProxySettings(options.settings, { storeDir, upstreamUrl: sim.url, adminToken });
  let proxy: SoakProxy | undefined;
  try {
    // Read as the proxy will read them: a bad setting is reported before anything starts.
    const config = loadConfig(settings);
    proxy = await startSoakProxy(settings);
    options.progress.stream.write(
      `soak: proxy ${proxy.origin} (own process), upstream ${sim.url}, ${options.durationMs / 1000} s at concurrency ${options.concurrency}\n`,
    );
    const loadStart = loadavg()[0] ?? 0;
    // The first scrape also starts the event-loop histogram afresh: start-up is not counted.
    const rssStart = (await proxy.sample())?.rssBytes ?? 0;
    const next = createPrng(options.seed);
    const book = createAnswerBook(options.model);
    const prompts = createSoakPrompts({ fromFile: options.prompts, next, prefix: '' });
    const plan = createSoakPlan(
      { model: options.model, upstreamTimeoutMs: config.upstream.timeoutMs, bodyLimitBytes: config.server.bodyLimitBytes },
      prompts,
      book,
      next,
    );
    const watcher = watch(proxy);
    const traffic = await drive(proxy, options, plan, { next, prompts, book });
    const watched = await watcher.stop();
    const exitCode = proxy.exitCode();
    const alive = exitCode === null;
    const audit = alive
      ? await auditEntries(proxy.origin, adminToken, book)
      : { checked: 0, fromFailedAnswers: 0, samples: ['the proxy exited: nothing to audit'] };
    const metrics = alive ? await (await fetch(`${proxy.origin}/metrics`)).text() : '';
    return resultOf(options, config, sim, proxy, { traffic, watched, audit, metrics, exitCode, rssStart, loadStart });
  } finally {
    await proxy?.stop();
    await sim.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}
