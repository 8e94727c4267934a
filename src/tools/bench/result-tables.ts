// The tables of a bench result, shared by the terminal output and the Markdown report.
import type { BenchResult, VariantResult } from './bench-result.js';
import type { LatencyGroup } from './load-mode.js';
import { fmt, usd, type TextTable } from './text-table.js';

function variants(result: BenchResult): VariantResult[] {
  const main: VariantResult = {
    cache: 'semantic',
    precision: result.precision,
    recall: result.recall,
    hitRate: result.hitRate,
    falseHitRate: result.falseHitRate,
    money: result.money,
    details: result.details,
  };
  return result.baseline === null ? [main] : [main, result.baseline];
}

function column(variant: VariantResult, threshold: number): string {
  return variant.cache === 'semantic' ? `semcache @ ${threshold}` : 'exact-only baseline';
}

function countsRows(v: VariantResult): string[][] {
  const d = v.details;
  if (d.mode === 'pairs') {
    const s = d.pairs.score;
    const f = d.pairs.feedback;
    const feedbackRows =
      f === null
        ? [['feedback blocks', 'not run (--feedback true)']]
        : [
            ['wrong hits reported as feedback', String(f.reported)],
            ['feedback blocks', String(f.blocks)],
            ['asked again: miss / correct hit / wrong hit', `${f.afterwards.misses} / ${f.afterwards.correctHits} / ${f.afterwards.wrongHits}`],
          ];
    return [
      ['queries', String(s.queries)],
      ['hits (exact)', `${s.hits} (${s.exactHits})`],
      ['correct hits', String(s.correctHits)],
      ['wrong hits', String(s.wrongHits)],
      ['wrong hits on label-0 queries', String(s.wrongHitsOnLabel0)],
      ...feedbackRows,
    ];
  }
  if (d.mode === 'stream') {
    const s = d.stream.score;
    return [
      ['requests (repeats)', `${s.requests} (${s.repeats})`],
      ['hits (exact)', `${s.hits} (${s.exactHits})`],
      ['correct hits', String(s.correctHits)],
      ['wrong hits', String(s.wrongHits)],
      ['hittable requests', String(s.hittable)],
    ];
  }
  return [
    ['proxy requests', String(d.load.proxy.requests)],
    ['proxy requests/s', fmt(d.load.proxy.requestsPerSecond, 1)],
    ['direct requests/s', fmt(d.load.direct.requestsPerSecond, 1)],
  ];
}

/** Headline, counts and money, one column per variant (semcache, and the baseline when run). */
function summaryTable(result: BenchResult): TextTable {
  const vs = variants(result);
  const perVariant = (pick: (v: VariantResult) => string): string[] => vs.map(pick);
  const counts = vs.map(countsRows);
  const rows: string[][] = [
    ['hit rate', ...perVariant((v) => fmt(v.hitRate))],
    ['precision', ...perVariant((v) => fmt(v.precision))],
    ['recall', ...perVariant((v) => fmt(v.recall))],
    [result.mode === 'pairs' ? 'false-hit rate (label-0 queries)' : 'false-hit rate (of requests)', ...perVariant((v) => fmt(v.falseHitRate))],
    ...(counts[0] ?? []).map((row, i) => [row[0] ?? '', ...counts.map((c) => c[i]?.[1] ?? '-')]),
    ['tokens processed', ...perVariant((v) => String(v.money.tokensProcessed))],
    ['tokens saved', ...perVariant((v) => String(v.money.tokensSaved))],
    ['spend with cache', ...perVariant((v) => usd(v.money.spendUsd))],
    ['spend without cache', ...perVariant((v) => usd(v.money.spendWithoutCacheUsd))],
    ['saved', ...perVariant((v) => usd(v.money.savedUsd))],
    ['embedding cost', ...perVariant((v) => usd(v.money.embeddingCostUsd))],
    ['net saved', ...perVariant((v) => usd(v.money.netSavedUsd))],
    ['CP1KT with cache', ...perVariant((v) => usd(v.money.cp1ktUsd))],
    ['CP1KT without cache', ...perVariant((v) => usd(v.money.cp1ktWithoutCacheUsd))],
  ];
  const source = result.file === null ? '' : `, ${result.rows} rows of ${result.file}`;
  return {
    title: `semcache bench ${result.mode}${source}, model ${result.model}, upstream ${result.upstream}`,
    header: ['', ...vs.map((v) => column(v, result.threshold))],
    rows,
  };
}

function sweepTable(result: BenchResult): TextTable | undefined {
  if (result.sweep === null) return undefined;
  return {
    title: 'Threshold sweep (one run; a query hits at T when its reported similarity is >= T)',
    header: ['threshold', 'hits', 'correct', 'wrong', 'precision', 'recall', 'false-hit rate'],
    rows: result.sweep.map((p) => [
      p.threshold.toFixed(2),
      String(p.hits),
      String(p.correctHits),
      String(p.wrongHits),
      fmt(p.precision),
      fmt(p.recall),
      fmt(p.falseHitRate),
    ]),
  };
}

export function kindsTable(result: BenchResult): TextTable | undefined {
  if (result.details.mode !== 'pairs' || result.details.pairs.byKind.length === 0) return undefined;
  return {
    title: `By kind of row at ${result.threshold} (label 0: a hit is wrong; label 1: the share of its queries served)`,
    header: ['kind', 'label', 'queries', 'hits', 'correct', 'wrong', 'hit rate'],
    rows: result.details.pairs.byKind.map((k) => [
      k.kind,
      k.label === null ? 'mixed' : String(k.label),
      String(k.queries),
      String(k.hits),
      String(k.correctHits),
      String(k.wrongHits),
      fmt(k.queries > 0 ? k.hits / k.queries : null),
    ]),
  };
}

export function windowsTable(result: BenchResult): TextTable | undefined {
  if (result.details.mode !== 'stream') return undefined;
  return {
    title: 'Hit rate over time (windows of the stream, in send order)',
    header: ['requests', 'hit rate', 'precision', 'cumulative hit rate'],
    rows: result.details.stream.windows.map((w) => [`${w.from}-${w.to}`, fmt(w.hitRate), fmt(w.precision), fmt(w.cumulativeHitRate)]),
  };
}

const CHAT_GROUPS = ['exact-hit', 'semantic-hit', 'miss', 'bypass', 'direct', 'error'] as const;
/** Chat's groups, then the Responses API's (`--responses-share`) beside them. */
const GROUPS: readonly LatencyGroup[] = [...CHAT_GROUPS, ...CHAT_GROUPS.map((group) => `responses:${group}` as const)];

export function latencyTable(result: BenchResult): TextTable | undefined {
  if (result.details.mode !== 'load') return undefined;
  const { latency } = result.details.load;
  return {
    title: 'Latency by cache status (ms); direct = straight to the upstream, in interleaved rounds',
    header: ['status', 'requests', 'mean', 'p50', 'p90', 'p99', 'max'],
    rows: GROUPS.flatMap((group) => {
      const s = latency[group];
      return s === undefined ? [] : [[group, String(s.count), fmt(s.meanMs, 2), fmt(s.p50Ms, 2), fmt(s.p90Ms, 2), fmt(s.p99Ms, 2), fmt(s.maxMs, 2)]];
    }),
  };
}

export function resultTables(result: BenchResult): TextTable[] {
  return [summaryTable(result), sweepTable(result), kindsTable(result), windowsTable(result), latencyTable(result)].filter(
    (t): t is TextTable => t !== undefined,
  );
}

export function recommendationLine(result: BenchResult): string | undefined {
  if (result.mode !== 'pairs' || result.details.mode !== 'pairs') return undefined;
  const r = result.recommended;
  const target = result.details.pairs.targetPrecision;
  if (r === null) return `No threshold of the sweep reaches precision ${target}.`;
  return `Recommended threshold for precision >= ${target}: ${r.threshold.toFixed(2)} (precision ${fmt(r.precision)}, recall ${fmt(r.recall)}, false-hit rate ${fmt(r.falseHitRate)}).`;
}
