// The figures of a soak: the tally of judged answers as the run goes, the JSON it writes
// (`--json`), and the table "load held, faults survived, bad inputs tried, nothing lost", as text
// for the terminal and Markdown for `--report`.
import { summarizeLatency, type LatencySummary } from '../latency-stats.js';
import { renderMarkdown, type TextTable } from '../text-table.js';
import { CLIENT_ERROR_CAUSES, type ClientErrorCause, type Judgement } from './judge.js';
import { SOAK_KINDS, type SoakKind } from './soak-plan.js';

const SAMPLES = 20;

export interface SoakTally {
  /** `latencyMs` of ordinary requests only: slow clients and faults are slow on purpose. */
  add(kind: SoakKind, judgement: Judgement, latencyMs: number | undefined): void;
  readonly requests: number;
  snapshot(): TallyFigures;
}

export interface TallyFigures {
  readonly requests: number;
  readonly byKind: Readonly<Record<SoakKind, number>>;
  readonly answered: {
    readonly exactHits: number;
    readonly semanticHits: number;
    readonly misses: number;
    readonly bypasses: number;
    readonly wrongHits: number;
  };
  readonly clientErrors: Readonly<Record<ClientErrorCause, number>>;
  readonly unexpectedErrors: number;
  readonly unexpectedByCause: Readonly<Record<string, number>>;
  readonly unexpectedSamples: readonly string[];
  readonly partialAnswersServed: number;
  readonly partialSamples: readonly string[];
  /** Of ordinary requests (no fault, no slow client), by whether they were hits. */
  readonly latencyMs: { readonly hit: LatencySummary; readonly miss: LatencySummary };
}

export function createSoakTally(): SoakTally {
  const byKind = Object.fromEntries(SOAK_KINDS.map((k) => [k, 0])) as Record<SoakKind, number>;
  const clientErrors = Object.fromEntries(CLIENT_ERROR_CAUSES.map((c) => [c, 0])) as Record<ClientErrorCause, number>;
  const answered = { exactHits: 0, semanticHits: 0, misses: 0, bypasses: 0, wrongHits: 0 };
  const unexpectedByCause: Record<string, number> = {};
  const unexpectedSamples: string[] = [];
  const partialSamples: string[] = [];
  const latency = { hit: [] as number[], miss: [] as number[] };
  let requests = 0;
  let unexpected = 0;
  let partial = 0;
  return {
    add(kind, judgement, latencyMs) {
      requests++;
      byKind[kind]++;
      switch (judgement.outcome) {
        case 'answered': {
          const status = judgement.cacheStatus;
          if (status === 'exact-hit') answered.exactHits++;
          else if (status === 'semantic-hit') answered.semanticHits++;
          else if (status === 'miss') answered.misses++;
          else answered.bypasses++;
          if (judgement.wrongHit) answered.wrongHits++;
          if (latencyMs !== undefined) (status.endsWith('hit') ? latency.hit : latency.miss).push(latencyMs);
          return;
        }
        case 'client-error':
          clientErrors[judgement.cause]++;
          return;
        case 'partial':
          partial++;
          if (partialSamples.length < SAMPLES) partialSamples.push(`${kind}: ${judgement.detail}`);
          return;
        case 'unexpected':
          unexpected++;
          unexpectedByCause[judgement.cause] = (unexpectedByCause[judgement.cause] ?? 0) + 1;
          if (unexpectedSamples.length < SAMPLES) unexpectedSamples.push(`${kind} ${judgement.cause}: ${judgement.detail}`);
      }
    },
    get requests() {
      return requests;
    },
    snapshot: () => ({
      requests,
      byKind: { ...byKind },
      answered: { ...answered },
      clientErrors: { ...clientErrors },
      unexpectedErrors: unexpected,
      unexpectedByCause: { ...unexpectedByCause },
      unexpectedSamples: [...unexpectedSamples],
      partialAnswersServed: partial,
      partialSamples: [...partialSamples],
      latencyMs: { hit: summarizeLatency(latency.hit), miss: summarizeLatency(latency.miss) },
    }),
  };
}

export interface SoakResult extends TallyFigures {
  readonly schemaVersion: 1;
  readonly mode: 'soak';
  /** unexpectedErrors, partialAnswersServed and entriesFromFailedAnswers all 0, RSS within its
   * bound, the proxy alive at the end. */
  readonly passed: boolean;
  readonly generatedAt: string;
  readonly interrupted: boolean;
  readonly durationMs: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly model: string;
  readonly requestsPerSecond: number;
  readonly faultsInjected: {
    readonly total: number;
    readonly upstream: { readonly errors: number; readonly stalls: number; readonly cuts: number; readonly resets: number; readonly slowFirstBytes: number };
    readonly client: {
      readonly aborts: number;
      readonly badBodies: number;
      readonly slowHeaders: number;
      readonly slowReads: number;
      readonly refusedKey: number;
    };
  };
  readonly entriesChecked: number;
  readonly entriesFromFailedAnswers: number;
  readonly entrySamples: readonly string[];
  readonly rssStartMiB: number;
  readonly rssMaxMiB: number;
  readonly rssBoundMiB: number;
  readonly rssWithinBound: boolean;
  readonly bounds: { readonly maxEntries: number; readonly maxBytesMiB: number; readonly overheadMiB: number; readonly upstreamTimeoutMs: number };
  /** The worst one-second window's p99 of the proxy's event-loop delay, and the longest delay. */
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  /** The soak's own process's worst one-second p99 (load generator and simulator): on a shared
   * machine both include the time spent waiting for a CPU. */
  readonly driverEventLoopDelayP99Ms: number;
  /** The median one-second p99s: the usual delay, where the fields above give the worst second. */
  readonly eventLoopDelayP99MedianMs: number;
  readonly driverEventLoopDelayP99MedianMs: number;
  readonly healthzP99Ms: number | null;
  readonly healthzMaxMs: number | null;
  readonly healthzFailures: number;
  readonly keys: { readonly checks: number; readonly refusals: number };
  /** The entries' and their index's bytes at the end, as the proxy counts them. */
  readonly cacheMiB: number;
  readonly proxyLog: { readonly warn: number; readonly error: number; readonly samples: readonly string[] };
  readonly proxyExitCode: number | null;
  /** The machine's 1-minute load average at the start and the end: the event-loop delay includes
   * the time the proxy waited for a CPU. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

const mib = (n: number): string => n.toFixed(0);
const count = (n: number): string => n.toLocaleString('en-US');

export function soakTable(r: SoakResult): TextTable {
  const { upstream, client } = r.faultsInjected;
  const e = r.clientErrors;
  return {
    title: `Soak: ${(r.durationMs / 1000).toFixed(0)} s at concurrency ${r.concurrency}${r.interrupted ? ' (interrupted)' : ''}: ${r.passed ? 'passed' : 'FAILED'}`,
    header: ['', 'figures'],
    rows: [
      [
        'load held',
        `${count(r.requests)} requests (${r.requestsPerSecond.toFixed(1)}/s): ${count(r.answered.exactHits)} exact hits, ${count(r.answered.semanticHits)} semantic, ${count(r.answered.misses)} misses, ${count(r.answered.bypasses)} bypasses; RSS ${mib(r.rssStartMiB)} -> max ${mib(r.rssMaxMiB)} MiB (bound ${mib(r.rssBoundMiB)}); proxy event-loop delay p99 ${r.eventLoopDelayP99Ms.toFixed(1)} ms in the worst second, ${r.eventLoopDelayP99MedianMs.toFixed(1)} in the median one (the load generator's: ${r.driverEventLoopDelayP99Ms.toFixed(1)}, ${r.driverEventLoopDelayP99MedianMs.toFixed(1)}); load average ${r.loadAverage.start.toFixed(1)}-${r.loadAverage.end.toFixed(1)}; /healthz p99 ${r.healthzP99Ms?.toFixed(1) ?? '-'} ms`,
      ],
      [
        'faults survived',
        `${count(r.faultsInjected.total)} injected: upstream errors ${upstream.errors}, stalls past the timeout ${upstream.stalls}, cut answers ${upstream.cuts}, resets ${upstream.resets}, slow first bytes ${upstream.slowFirstBytes}; client aborts mid-stream ${client.aborts}; answered as expected: ${e.upstreamError + e.upstreamTimeout + e.upstreamCut + e.upstreamReset + e.clientAbort}`,
      ],
      [
        'bad inputs tried',
        `bad bodies ${client.badBodies} (${e.badBody} got a 4xx in OpenAI's shape), refused key ${client.refusedKey} (${e.keyRefused} got the upstream's 401), headers sent slowly ${client.slowHeaders}, streams read slowly ${client.slowReads}`,
      ],
      [
        'nothing lost',
        `unexpected errors ${r.unexpectedErrors}, partial answers served ${r.partialAnswersServed}, entries from failed answers ${r.entriesFromFailedAnswers} of ${count(r.entriesChecked)} checked; proxy errors logged ${r.proxyLog.error}`,
      ],
    ],
  };
}

/** The table as labelled paragraphs: its cells are sentences, too long for aligned columns. */
function renderLabelled(table: TextTable): string {
  const width = Math.max(...table.rows.map((row) => (row[0] ?? '').length));
  return [table.title, ...table.rows.map((row) => `  ${(row[0] ?? '').padEnd(width)}  ${row[1] ?? ''}`)].join('\n');
}

export function soakText(r: SoakResult): string {
  const extra = [
    ...(r.unexpectedSamples.length > 0 ? ['unexpected:', ...r.unexpectedSamples.map((s) => `  ${s}`)] : []),
    ...(r.partialSamples.length > 0 ? ['partial answers:', ...r.partialSamples.map((s) => `  ${s}`)] : []),
    ...(r.entrySamples.length > 0 ? ['entries from failed answers:', ...r.entrySamples.map((s) => `  ${s}`)] : []),
    ...(r.proxyLog.samples.length > 0 ? ['proxy error lines:', ...r.proxyLog.samples.map((s) => `  ${s}`)] : []),
  ];
  return [renderLabelled(soakTable(r)), ...extra].join('\n');
}

export function soakMarkdown(r: SoakResult, command: string): string {
  return [`# semcache bench soak`, '', `\`${command}\``, '', renderMarkdown(soakTable(r)), '', '```json', JSON.stringify(r, null, 2), '```', ''].join('\n');
}
