// load: a fixed mix of exact hits, semantic hits, misses and pass-through at a set concurrency for
// a bounded time, in rounds that alternate between the proxy and direct calls to the upstream, so
// both see the same machine load. Latency is grouped by the status the proxy reported; a share of
// the requests may use the Responses API (grouped apart, `responses:<status>`).
import { createPrng } from '../sim/prng.js';
import type { BenchApi, CacheStatus } from './bench-client.js';
import { cumulativeDistribution, summarizeLatency, type LatencySummary } from './latency-stats.js';
import type { Headline, ModeContext } from './mode-context.js';
import { createProgress } from './progress.js';
import { runPool } from './run-pool.js';
import { REQUEST_HEADER } from '../../semcache-headers.js';

export type LoadKind = 'exact' | 'semantic' | 'miss' | 'bypass';

export interface LoadSettings {
  readonly durationMs: number;
  readonly roundMs: number;
  /** Relative weights of the request kinds. */
  readonly mix: Readonly<Record<LoadKind, number>>;
  /** Prompts stored before the clock starts; exact and semantic requests reuse them. */
  readonly warmPrompts: readonly string[];
  readonly seed: number;
  /** Share of requests sent to POST /v1/responses instead of chat completions (0: none). */
  readonly responsesShare: number;
}

type ChatGroup = CacheStatus | 'direct' | 'error';
export type LatencyGroup = ChatGroup | `responses:${ChatGroup}`;

export interface LoadDetails {
  readonly durationMs: number;
  readonly rounds: number;
  readonly mix: Readonly<Record<LoadKind, number>>;
  readonly responsesShare: number;
  readonly proxy: { readonly requests: number; readonly seconds: number; readonly requestsPerSecond: number | null };
  readonly direct: { readonly requests: number; readonly seconds: number; readonly requestsPerSecond: number | null };
  /** Latency by the proxy's x-semcache-status, plus `direct` (straight to the upstream) and `error`. */
  readonly latency: Readonly<Partial<Record<LatencyGroup, LatencySummary>>>;
  /** Thinned cumulative distributions (ms, fraction), for the chart. */
  readonly distributions: Readonly<Partial<Record<LatencyGroup, Array<[number, number]>>>>;
}

export interface LoadRun {
  readonly headline: Headline;
  readonly details: LoadDetails;
}

const KINDS: readonly LoadKind[] = ['exact', 'semantic', 'miss', 'bypass'];

/** A case change the exact tier keeps apart (its key is case-sensitive) but the embedder barely sees. */
function variantOf(prompt: string): string {
  const first = prompt.charAt(0);
  const swapped = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
  return `${swapped}${prompt.slice(1)}`;
}

function drawKind(mix: Readonly<Record<LoadKind, number>>, u: number): LoadKind {
  const total = KINDS.reduce((sum, kind) => sum + mix[kind], 0);
  let acc = 0;
  for (const kind of KINDS) {
    acc += mix[kind] / total;
    if (u < acc) return kind;
  }
  return 'miss';
}

export async function runLoad(context: ModeContext, settings: LoadSettings): Promise<LoadRun> {
  const { client, stack, signal } = context;
  const next = createPrng(settings.seed);
  const runTag = Math.floor(next() * 1e9).toString(36);
  let missCount = 0;

  // Each API stores its own entries (the endpoint is part of every key): warm both when both are sent.
  const apis: readonly BenchApi[] = settings.responsesShare > 0 ? ['chat', 'responses'] : ['chat'];
  const warm = apis.flatMap((api) => settings.warmPrompts.map((prompt) => ({ api, prompt })));
  const warming = createProgress(context.progress, 'load: warming', warm.length);
  await runPool(warm, context.concurrency, signal, async ({ api, prompt }) => {
    context.tally.add(await client.complete(stack.proxyUrl, prompt, { 'cache-control': 'no-cache' }, api));
    warming.tick();
  });
  warming.done();

  // No draw when no Responses request is asked for, so that the seeded sequence of chat-only runs stays as it was.
  const drawApi = (): BenchApi => (settings.responsesShare > 0 && next() < settings.responsesShare ? 'responses' : 'chat');
  const request = (): { prompt: string; headers: Record<string, string> } => {
    const kind = drawKind(settings.mix, next());
    const warm = settings.warmPrompts[Math.floor(next() * settings.warmPrompts.length)] ?? 'What is a semantic cache?';
    if (kind === 'exact') return { prompt: warm, headers: {} };
    if (kind === 'semantic')
      return { prompt: variantOf(warm), headers: { [REQUEST_HEADER.threshold]: String(context.thresholdFloor), 'cache-control': 'no-store' } };
    if (kind === 'bypass') return { prompt: warm, headers: { [REQUEST_HEADER.bypass]: '1' } };
    // A never-seen prompt asked at threshold 1: only an identical text could answer it.
    return { prompt: `Load probe ${runTag}-${missCount++}: ${warm}`, headers: { [REQUEST_HEADER.threshold]: '1' } };
  };

  const samples: Partial<Record<LatencyGroup, number[]>> = {};
  const add = (group: LatencyGroup, ms: number): void => {
    (samples[group] ??= []).push(ms);
  };
  const totals = { proxy: { requests: 0, ms: 0 }, direct: { requests: 0, ms: 0 } };
  const rounds = Math.max(2, Math.ceil(settings.durationMs / settings.roundMs));
  const progress = createProgress(context.progress, 'load: rounds', rounds);
  for (let round = 0; round < rounds && !signal.aborted; round++) {
    const target = round % 2 === 0 ? 'proxy' : 'direct';
    const started = performance.now();
    const end = started + settings.roundMs;
    const ticks = function* (): Generator<number> {
      while (performance.now() < end) yield 0;
    };
    await runPool(ticks(), context.concurrency, signal, async () => {
      const api = drawApi();
      const { prompt, headers } = request();
      const result =
        target === 'proxy' ? await client.complete(stack.proxyUrl, prompt, headers, api) : await client.complete(stack.upstreamUrl, prompt, {}, api);
      if (target === 'proxy') context.tally.add(result);
      totals[target].requests++;
      const group: ChatGroup = result.statusCode !== 200 ? 'error' : target === 'direct' ? 'direct' : (result.cacheStatus ?? 'error');
      add(api === 'chat' ? group : `responses:${group}`, result.latencyMs);
    });
    totals[target].ms += performance.now() - started;
    progress.tick();
  }
  progress.done();

  const count = (group: ChatGroup): number => (samples[group]?.length ?? 0) + (samples[`responses:${group}`]?.length ?? 0);
  const hits = count('exact-hit') + count('semantic-hit');
  const lookups = hits + count('miss');
  const latency: Partial<Record<LatencyGroup, LatencySummary>> = {};
  const distributions: Partial<Record<LatencyGroup, Array<[number, number]>>> = {};
  for (const [group, values] of Object.entries(samples) as Array<[LatencyGroup, number[]]>) {
    latency[group] = summarizeLatency(values);
    distributions[group] = cumulativeDistribution(values);
  }
  const rate = (t: { requests: number; ms: number }) => ({
    requests: t.requests,
    seconds: Number((t.ms / 1000).toFixed(3)),
    requestsPerSecond: t.ms > 0 ? Number(((t.requests * 1000) / t.ms).toFixed(2)) : null,
  });
  return {
    // The load mode's prompts are synthetic: there is no right or wrong hit to count.
    headline: { precision: null, recall: null, hitRate: lookups > 0 ? hits / lookups : null, falseHitRate: null },
    details: {
      durationMs: settings.durationMs,
      rounds,
      mix: settings.mix,
      responsesShare: settings.responsesShare,
      proxy: rate(totals.proxy),
      direct: rate(totals.direct),
      latency,
      distributions,
    },
  };
}
