// Books what each request cost or saved: tokens and USD on the Prometheus counters, the CP1KT window
// by overall / model / tenant / use case, and the totals of /admin/costs. A measured GPU's spend is
// booked when its time bucket closes (settle), spread over the time it pays for.
import type { CostModel } from './cost-model.js';
import type { ReportTotals } from './costs-report.js';
import { dimensionKey, type Cp1ktWindow, type Sums } from './cp1kt-window.js';
import type { SpendLabels } from './gpu-settlement.js';
import type { Instruments } from './instruments.js';
import { OVERALL_NAME } from '../config-pricing.js';
import type { TokenCounts } from './request-record.js';

export interface SpendLedger {
  /** Tokens the upstream processed for `servedModel`; false when the model has no price. */
  processed(servedModel: string, tokens: TokenCounts, labels: SpendLabels): boolean;
  /** Tokens a hit served from the cache; false when the model has no price. */
  saved(servedModel: string, tokens: TokenCounts, labels: SpendLabels): boolean;
  /** Books measured-GPU buckets that closed, before anything reads spend or CP1KT. */
  settle(): void;
}

export function createSpendLedger(options: {
  instruments: Instruments;
  costModel: CostModel;
  window: Cp1ktWindow;
  totals: ReportTotals;
  now: () => number;
}): SpendLedger {
  const { instruments, costModel, window, totals, now } = options;

  const addToWindow = (labels: SpendLabels, amounts: Sums, atMs: number): void => {
    window.addAt(dimensionKey('overall', OVERALL_NAME), amounts, atMs);
    window.addAt(dimensionKey('model', labels.model), amounts, atMs);
    window.addAt(dimensionKey('tenant', labels.tenant), amounts, atMs);
    window.addAt(dimensionKey('use_case', labels.useCase), amounts, atMs);
  };

  const countSpend = (labels: SpendLabels, usd: number): void => {
    instruments.spend.inc({ model: labels.model, tenant: labels.tenant, use_case: labels.useCase }, usd);
  };

  return {
    processed(servedModel, tokens, labels) {
      const { model } = labels;
      instruments.tokensProcessed.inc({ model, type: 'input' }, tokens.input);
      instruments.tokensProcessed.inc({ model, type: 'output' }, tokens.output);
      totals.processedInputTokens += tokens.input;
      totals.processedOutputTokens += tokens.output;
      const cost = costModel.processed(servedModel, tokens, labels);
      if (cost === undefined) {
        instruments.tokensUnpriced.inc({ model, type: 'input' }, tokens.input);
        instruments.tokensUnpriced.inc({ model, type: 'output' }, tokens.output);
        totals.unpricedTokens += tokens.input + tokens.output;
        return false;
      }
      // A measured GPU's tokens enter CP1KT with their spend, when their bucket is settled.
      if (cost.kind === 'settled-later') return true;
      countSpend(labels, cost.usd);
      addToWindow(labels, { spendUsd: cost.usd, inputTokens: tokens.input, outputTokens: tokens.output }, now());
      return true;
    },
    saved(servedModel, tokens, labels) {
      const { model } = labels;
      instruments.tokensSaved.inc({ model, type: 'input' }, tokens.input);
      instruments.tokensSaved.inc({ model, type: 'output' }, tokens.output);
      totals.savedInputTokens += tokens.input;
      totals.savedOutputTokens += tokens.output;
      const cost = costModel.saved(servedModel, tokens);
      if (cost === undefined) return false;
      instruments.saved.inc({ model, tenant: labels.tenant, use_case: labels.useCase }, cost);
      totals.savedUsd += cost;
      return true;
    },
    // The bucket's tokens are booked at its own time and its spend over the time it pays for (idle
    // time included), so a window holds the spend of its own time only.
    settle() {
      const { bucketMs } = window;
      for (const s of costModel.settle()) {
        countSpend(s.labels, s.usd);
        addToWindow(s.labels, { spendUsd: 0, inputTokens: s.tokens.input, outputTokens: s.tokens.output }, s.bucketStartMs);
        const span = s.toMs - s.fromMs;
        if (span <= 0) continue;
        for (let start = Math.floor(s.fromMs / bucketMs) * bucketMs; start < s.toMs; start += bucketMs) {
          const covered = Math.min(s.toMs, start + bucketMs) - Math.max(s.fromMs, start);
          addToWindow(s.labels, { spendUsd: (s.usd * covered) / span, inputTokens: 0, outputTokens: 0 }, start);
        }
      }
    },
  };
}
