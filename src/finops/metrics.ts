// createMetrics: everything the request path reports to, and what /metrics and /admin/costs read.
// record() runs once per completed request and stays cheap (a few map lookups and additions);
// CP1KT gauges are computed when Prometheus scrapes.
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createBreachWebhook } from './breach-webhook.js';
import { createCostModel, type CostModel } from './cost-model.js';
import { buildCostsReport, type CostsReport, type ReportTotals } from './costs-report.js';
import { createCp1ktTargets } from './cp1kt-targets.js';
import { cp1ktOf, createCp1ktWindow, splitDimensionKey, type Cp1ktWindow } from './cp1kt-window.js';
import { createInstruments, type IndexStats } from './instruments.js';
import { createLabelResolver, OTHER, type LabelResolver } from './labels.js';
import type { MetricsConfig } from '../config-finops.js';
import type { LogSink } from '../logger.js';
import type { Cp1ktTarget } from '../config-pricing.js';
import type { RequestRecord } from './request-record.js';
import { createFleetWindow, type SharedSums } from './fleet-window.js';
import { createSpendLedger } from './spend-ledger.js';

export interface Metrics {
  readonly registry: Registry;
  readonly costModel: CostModel;
  /** The bounded label values of models, tenants and use cases; the cheap-route policy shares them. */
  readonly labels: LabelResolver;
  record(r: RequestRecord): void;
  /** The CP1KT targets breached now (late spend settled first). */
  breachedTargets(): readonly Cp1ktTarget[];
  costsReport(): CostsReport;
  /** The cache's size: a snapshot, or a function read when Prometheus scrapes (summing the index
   * partitions on every request would cost the hot path). */
  setIndexStats(stats: IndexStats | (() => IndexStats)): void;
  recordEviction(reason: string): void;
  /** For guard rejections that reach no RequestRecord; record() already counts `guardRejected`. */
  recordGuardRejection(guard: string): void;
  setInFlight(delta: number): void;
  /** A call asking the upstream about a key, by its answer (bounded: accepted, refused, unknown). */
  recordKeyCheck(result: 'accepted' | 'refused' | 'unknown'): void;
  /** A request kept from the cache by its key (bounded: key-refused, key-unchecked). */
  recordKeyRefusal(reason: 'key-refused' | 'key-unchecked'): void;
  /** A shadow check of a semantic hit: its upstream tokens are spend like any other. */
  recordShadow(check: ShadowRecord): void;
  /** Stops retrying webhook deliveries and waits for those in progress. */
  close(): Promise<void>;
}

export interface ShadowRecord {
  readonly result: 'agree' | 'disagree' | 'error';
  readonly base: RequestRecord;
  readonly processed: RequestRecord['processed'];
}

const MAX_WARNED_MODELS = 1024;

/** How often a replica of a fleet exchanges CP1KT figures with the others. */
const FLEET_SYNC_MS = 1_000;

export function createMetrics(options: {
  config: MetricsConfig;
  logger: LogSink;
  now?: () => number;
  fetch?: typeof fetch;
  shared?: SharedSums | undefined;
}): Metrics {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const windowMs = config.windowSeconds * 1000;
  const registry = new Registry();
  // The process's own figures, under their standard names: resident memory, heap, GC, and the event
  // loop's delay (nodejs_eventloop_lag_p99_seconds: since the previous scrape), which is what a
  // request waits behind. `semcache bench soak` reads them.
  collectDefaultMetrics({ register: registry });
  const labels = createLabelResolver(config);
  const costModel = createCostModel(config.pricing, now, windowMs);
  const fleet = options.shared === undefined ? undefined : createFleetWindow({ windowMs, now, shared: options.shared, syncMs: FLEET_SYNC_MS, logger });
  const window: Cp1ktWindow = fleet ?? createCp1ktWindow({ windowMs, now });
  // Counted once the instruments exist: no delivery ends before this function returns.
  const webhook = createBreachWebhook({
    url: config.webhookUrl,
    fetch: options.fetch ?? fetch,
    logger,
    onResult: (result) => instruments.webhookDeliveries.inc({ result }),
  });
  const targets = createCp1ktTargets({ targets: config.pricing.targets, window, windowSeconds: config.windowSeconds, logger, webhook, now });
  const totals: ReportTotals = {
    requests: 0,
    exactHits: 0,
    semanticHits: 0,
    misses: 0,
    bypasses: 0,
    savedUsd: 0,
    embeddingCostUsd: 0,
    unpricedTokens: 0,
    processedInputTokens: 0,
    processedOutputTokens: 0,
    savedInputTokens: 0,
    savedOutputTokens: 0,
  };
  const warned = new Set<string>();
  const shadow = { agree: 0, disagree: 0 };
  let indexStats: (() => IndexStats) | undefined;

  const instruments = createInstruments(registry, {
    settle: () => settle(),
    cp1kt(set) {
      settle();
      for (const key of window.keys()) {
        const dimension = splitDimensionKey(key);
        if (dimension === undefined) continue;
        const inWindow = cp1ktOf(window.window(key));
        const sinceStart = cp1ktOf(window.sinceStart(key));
        if (inWindow !== undefined) set({ ...dimension, window: 'window' }, inWindow);
        if (sinceStart !== undefined) set({ ...dimension, window: 'since_start' }, sinceStart);
      }
    },
    targets(set) {
      settle();
      targets.evaluate();
      for (const state of targets.states()) set({ scope: state.target.scope, name: state.target.name }, state.target.cp1ktUsd, state.breach);
    },
    netSavedUsd: () => totals.savedUsd - totals.embeddingCostUsd,
    indexStats: () => indexStats?.(),
    shadowAgreement: () => (shadow.agree + shadow.disagree === 0 ? undefined : shadow.agree / (shadow.agree + shadow.disagree)),
  });

  const ledger = createSpendLedger({ instruments, costModel, window, totals, now });
  const settle = (): void => ledger.settle();

  const warnUnpriced = (model: string): void => {
    if (warned.has(model) || warned.size >= MAX_WARNED_MODELS) return;
    warned.add(model);
    logger.warn(
      { model, pricingFile: config.pricingFile ?? null },
      'model has no price in the pricing file: its tokens are counted as unpriced and left out of spend and CP1KT',
    );
  };

  const countProcessed = (r: RequestRecord, model: string, tenant: string, useCase: string): void => {
    if (r.processed !== undefined && !ledger.processed(r.servedModel, r.processed, { model, tenant, useCase })) warnUnpriced(r.servedModel);
  };

  const countSaved = (r: RequestRecord, model: string, tenant: string, useCase: string): void => {
    if (r.saved !== undefined && !ledger.saved(r.servedModel, r.saved, { model, tenant, useCase })) warnUnpriced(r.servedModel);
  };

  const observeDurations = (r: RequestRecord): void => {
    const d = r.durations;
    const where = { endpoint: r.endpoint, cache_status: r.cacheStatus };
    instruments.requestDuration.observe(where, d.totalMs / 1000);
    if (d.firstByteMs !== undefined) instruments.firstByte.observe(where, d.firstByteMs / 1000);
    if (d.upstreamMs !== undefined) instruments.upstreamDuration.observe({ endpoint: r.endpoint }, d.upstreamMs / 1000);
    if (d.embedMs !== undefined) instruments.embedDuration.observe(d.embedMs / 1000);
    if (d.searchMs !== undefined) instruments.searchDuration.observe(d.searchMs / 1000);
  };

  return {
    registry,
    costModel,
    labels,
    record(r) {
      settle();
      const answered = r.statusCode === 200;
      const model = labels.model(r.servedModel, answered);
      const tenant = labels.tenant(r.keyHash, r.tenantHeader);
      const useCase = labels.useCase(r.useCaseHeader);
      const hit = r.cacheStatus === 'exact-hit' || r.cacheStatus === 'semantic-hit';
      instruments.requests.inc({ endpoint: r.endpoint, model: labels.model(r.model, answered), cache_status: r.cacheStatus });
      totals.requests += 1;
      if (r.cacheStatus === 'exact-hit') totals.exactHits += 1;
      else if (r.cacheStatus === 'semantic-hit') totals.semanticHits += 1;
      else if (r.cacheStatus === 'miss') totals.misses += 1;
      else totals.bypasses += 1;
      // A hit's tokens are saved, a miss's processed: never both, so no token is counted twice.
      if (hit) countSaved(r, model, tenant, useCase);
      else {
        countProcessed(r, model, tenant, useCase);
        instruments.routes.inc({ route: r.route === 'primary' || r.route === 'cheap' ? r.route : OTHER });
      }
      if (r.cacheStatus === 'semantic-hit' && r.similarity !== undefined) instruments.similarity.observe(r.similarity);
      if (r.guardRejected !== undefined) instruments.guardRejections.inc({ guard: labels.reason(r.guardRejected) });
      if (r.embedComputeMs > 0) {
        const usd = (r.embedComputeMs / 3.6e6) * config.embedCpuHourUsd;
        instruments.embeddingCost.inc(usd);
        totals.embeddingCostUsd += usd;
      }
      observeDurations(r);
      if (config.pricing.targets.length > 0) targets.evaluate();
    },
    breachedTargets() {
      settle();
      targets.evaluate();
      return targets.breached();
    },
    costsReport: () => {
      settle();
      targets.evaluate();
      return buildCostsReport({ window, totals, costModel, states: targets.states(), windowSeconds: config.windowSeconds, now: now() });
    },
    setIndexStats(stats) {
      indexStats = typeof stats === 'function' ? stats : () => stats;
    },
    recordEviction: (reason) => instruments.evictions.inc({ reason: labels.reason(reason) }),
    recordGuardRejection: (guard) => instruments.guardRejections.inc({ guard: labels.reason(guard) }),
    setInFlight: (delta) => instruments.inFlight.inc(delta),
    recordKeyCheck: (result) => instruments.keyChecks.inc({ result }),
    recordKeyRefusal: (reason) => instruments.keyRefusals.inc({ reason }),
    recordShadow(check) {
      instruments.shadowChecks.inc({ result: check.result });
      if (check.result === 'agree') shadow.agree += 1;
      if (check.result === 'disagree') shadow.disagree += 1;
      const r = { ...check.base, processed: check.processed };
      countProcessed(r, labels.model(r.servedModel), labels.tenant(r.keyHash, r.tenantHeader), labels.useCase(r.useCaseHeader));
    },
    async close() {
      await fleet?.close();
      await webhook.close();
    },
  };
}
