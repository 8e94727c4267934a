// The JSON of GET /admin/costs: the same figures /metrics exports, plus targets and the what-if.
import type { CostModel } from './cost-model.js';
import type { TargetState } from './cp1kt-targets.js';
import { cp1ktOf, dimensionKey, splitDimensionKey, tokensOf, type Cp1ktWindow, type Sums } from './cp1kt-window.js';
import { OVERALL_NAME, type TargetScope } from '../config-pricing.js';
import { whatIfForModel, type ModelWhatIf } from './what-if.js';

/** Running totals kept by createMetrics next to the Prometheus counters. */
export interface ReportTotals {
  requests: number;
  exactHits: number;
  semanticHits: number;
  misses: number;
  bypasses: number;
  savedUsd: number;
  embeddingCostUsd: number;
  unpricedTokens: number;
  processedInputTokens: number;
  processedOutputTokens: number;
  savedInputTokens: number;
  savedOutputTokens: number;
}

export interface Cp1ktFigures {
  readonly windowUsd: number | null;
  readonly sinceStartUsd: number | null;
  readonly windowSpendUsd: number;
  readonly windowTokens: number;
  readonly sinceStartSpendUsd: number;
  readonly sinceStartTokens: number;
}

export interface CostsReport {
  readonly generatedAt: string;
  readonly windowSeconds: number;
  readonly requests: { total: number; exactHits: number; semanticHits: number; misses: number; bypasses: number; hitRate: number | null };
  /** processed* include the unpriced tokens (as semcache_tokens_processed_total does); `unpriced` is their part. */
  readonly tokens: { processedInput: number; processedOutput: number; savedInput: number; savedOutput: number; unpriced: number };
  readonly spendUsd: number;
  readonly savedUsd: number;
  readonly embeddingCostUsd: number;
  readonly netSavedUsd: number;
  readonly cp1kt: Readonly<Record<TargetScope, Readonly<Record<string, Cp1ktFigures>>>>;
  readonly targets: ReadonlyArray<{ scope: TargetScope; name: string; targetUsd: number; observedUsd: number | null; breach: boolean }>;
  readonly topUseCases: ReadonlyArray<{ useCase: string; spendUsd: number; tokens: number }>;
  readonly whatIf: readonly ModelWhatIf[];
}

function figures(window: Sums, sinceStart: Sums): Cp1ktFigures {
  return {
    windowUsd: cp1ktOf(window) ?? null,
    sinceStartUsd: cp1ktOf(sinceStart) ?? null,
    windowSpendUsd: window.spendUsd,
    windowTokens: tokensOf(window),
    sinceStartSpendUsd: sinceStart.spendUsd,
    sinceStartTokens: tokensOf(sinceStart),
  };
}

export function buildCostsReport(input: {
  window: Cp1ktWindow;
  totals: ReportTotals;
  costModel: CostModel;
  states: readonly TargetState[];
  windowSeconds: number;
  now: number;
}): CostsReport {
  const { window, totals } = input;
  const cp1kt: Record<TargetScope, Record<string, Cp1ktFigures>> = { overall: {}, model: {}, tenant: {}, use_case: {} };
  const whatIf: ModelWhatIf[] = [];
  for (const key of window.keys()) {
    const dimension = splitDimensionKey(key);
    if (dimension === undefined) continue;
    const inWindow = window.window(key);
    cp1kt[dimension.scope][dimension.name] = figures(inWindow, window.sinceStart(key));
    const entries = dimension.scope === 'model' ? input.costModel.entriesFor(dimension.name) : [];
    if (entries.length > 0 && tokensOf(inWindow) > 0) {
      whatIf.push(whatIfForModel(dimension.name, entries, window.bucketTokens(key), window.bucketMs, inWindow.inputTokens / tokensOf(inWindow)));
    }
  }
  const overall = window.sinceStart(dimensionKey('overall', OVERALL_NAME));
  const hits = totals.exactHits + totals.semanticHits;
  const lookups = hits + totals.misses;
  return {
    generatedAt: new Date(input.now).toISOString(),
    windowSeconds: input.windowSeconds,
    // Bypasses never consulted the cache, so the hit rate is hits / (hits + misses).
    requests: {
      total: totals.requests,
      exactHits: totals.exactHits,
      semanticHits: totals.semanticHits,
      misses: totals.misses,
      bypasses: totals.bypasses,
      hitRate: lookups > 0 ? hits / lookups : null,
    },
    tokens: {
      processedInput: totals.processedInputTokens,
      processedOutput: totals.processedOutputTokens,
      savedInput: totals.savedInputTokens,
      savedOutput: totals.savedOutputTokens,
      unpriced: totals.unpricedTokens,
    },
    spendUsd: overall.spendUsd,
    savedUsd: totals.savedUsd,
    embeddingCostUsd: totals.embeddingCostUsd,
    netSavedUsd: totals.savedUsd - totals.embeddingCostUsd,
    cp1kt,
    targets: input.states.map((s) => ({
      scope: s.target.scope,
      name: s.target.name,
      targetUsd: s.target.cp1ktUsd,
      observedUsd: s.observed ?? null,
      breach: s.breach,
    })),
    topUseCases: Object.entries(cp1kt.use_case)
      .map(([useCase, f]) => ({ useCase, spendUsd: f.sinceStartSpendUsd, tokens: f.sinceStartTokens }))
      .sort((a, b) => b.spendUsd - a.spendUsd),
    whatIf,
  };
}
