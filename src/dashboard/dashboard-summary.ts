// The numbers of the dashboard's live view, derived from what semcache already keeps: the costs
// report (/admin/costs) and the Prometheus registry (/metrics). Nothing here is counted twice or
// kept apart: the page shows the figures those two show.
import type { Registry } from 'prom-client';
import type { CostsReport } from '../finops/costs-report.js';
import { histogramQuantile, type Bucket } from './histogram-quantile.js';

export const CACHE_STATUSES = ['exact-hit', 'semantic-hit', 'miss', 'bypass'] as const;

export interface Cp1ktRow {
  readonly scope: string;
  readonly name: string;
  readonly windowUsd: number | null;
  readonly sinceStartUsd: number | null;
  readonly targetUsd: number | null;
  /** null when the row has no target. */
  readonly breach: boolean | null;
}

export interface DashboardSummary {
  readonly generatedAt: string;
  /** Completed cached-route requests since start (semcache_requests_total), by cache status. */
  readonly requests: Readonly<Record<string, number>>;
  /** The same by endpoint (chat, completion, responses), then status. */
  readonly requestsByEndpoint: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly hitRate: number | null;
  readonly money: {
    readonly spendUsd: number;
    /** What the traffic would have cost without the cache: the spend plus what hits saved. */
    readonly spendWithoutCacheUsd: number;
    readonly savedUsd: number;
    readonly embeddingCostUsd: number;
    readonly netSavedUsd: number;
  };
  readonly tokens: CostsReport['tokens'];
  readonly cp1kt: readonly Cp1ktRow[];
  /** Whole-request latency since start (semcache_request_duration_seconds), by cache status. */
  readonly latency: ReadonlyArray<{ readonly status: string; readonly count: number; readonly p50Ms: number | null; readonly p99Ms: number | null }>;
  /** Semantic candidates refused, by guard (semcache_guard_rejections_total). */
  readonly guards: ReadonlyArray<{ readonly guard: string; readonly count: number }>;
}

interface MetricValue {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

async function valuesOf(registry: Registry, name: string): Promise<readonly MetricValue[]> {
  const metric = registry.getSingleMetric(name);
  return metric === undefined ? [] : ((await metric.get()).values as MetricValue[]);
}

function cp1ktRows(costs: CostsReport): Cp1ktRow[] {
  const targets = new Map(costs.targets.map((t) => [`${t.scope}\u0000${t.name}`, t]));
  const rows: Cp1ktRow[] = [];
  for (const [scope, byName] of Object.entries(costs.cp1kt)) {
    for (const [name, figures] of Object.entries(byName)) {
      const target = targets.get(`${scope}\u0000${name}`);
      targets.delete(`${scope}\u0000${name}`);
      rows.push({
        scope,
        name,
        windowUsd: figures.windowUsd,
        sinceStartUsd: figures.sinceStartUsd,
        targetUsd: target?.targetUsd ?? null,
        breach: target?.breach ?? null,
      });
    }
  }
  // Targets with no traffic yet.
  for (const t of targets.values()) rows.push({ scope: t.scope, name: t.name, windowUsd: null, sinceStartUsd: null, targetUsd: t.targetUsd, breach: t.breach });
  return rows;
}

function latencyRows(values: readonly MetricValue[]): DashboardSummary['latency'] {
  const byStatus = new Map<string, Map<number, number>>();
  for (const v of values) {
    if (v.metricName?.endsWith('_bucket') !== true) continue;
    const status = String(v.labels.cache_status);
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    const buckets = byStatus.get(status) ?? new Map<number, number>();
    byStatus.set(status, buckets);
    // Summed over endpoints: a bucket's counts add up as PromQL's sum by (le, cache_status) does.
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  return [...byStatus.entries()].map(([status, buckets]) => {
    const list: Bucket[] = [...buckets.entries()].map(([le, count]) => ({ le, count }));
    const p50 = histogramQuantile(0.5, list);
    const p99 = histogramQuantile(0.99, list);
    return { status, count: buckets.get(Infinity) ?? 0, p50Ms: p50 === undefined ? null : p50 * 1000, p99Ms: p99 === undefined ? null : p99 * 1000 };
  });
}

export async function buildSummary(costs: CostsReport, registry: Registry): Promise<DashboardSummary> {
  const [requestValues, durationValues, guardValues] = await Promise.all([
    valuesOf(registry, 'semcache_requests_total'),
    valuesOf(registry, 'semcache_request_duration_seconds'),
    valuesOf(registry, 'semcache_guard_rejections_total'),
  ]);
  const requests: Record<string, number> = Object.fromEntries(CACHE_STATUSES.map((status) => [status, 0]));
  const requestsByEndpoint: Record<string, Record<string, number>> = {};
  for (const v of requestValues) {
    const status = String(v.labels.cache_status);
    const endpoint = String(v.labels.endpoint);
    requests[status] = (requests[status] ?? 0) + v.value;
    const perEndpoint = (requestsByEndpoint[endpoint] ??= {});
    perEndpoint[status] = (perEndpoint[status] ?? 0) + v.value;
  }
  return {
    generatedAt: costs.generatedAt,
    requests,
    requestsByEndpoint,
    hitRate: costs.requests.hitRate,
    money: {
      spendUsd: costs.spendUsd,
      spendWithoutCacheUsd: costs.spendUsd + costs.savedUsd,
      savedUsd: costs.savedUsd,
      embeddingCostUsd: costs.embeddingCostUsd,
      netSavedUsd: costs.netSavedUsd,
    },
    tokens: costs.tokens,
    cp1kt: cp1ktRows(costs),
    latency: latencyRows(durationValues),
    guards: guardValues.map((v) => ({ guard: String(v.labels.guard), count: v.value })).sort((a, b) => b.count - a.count),
  };
}
