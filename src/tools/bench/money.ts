// The money figures of a run, from the proxy's own accounting (GET /admin/costs, cross-checked
// against GET /metrics), next to the bench's own token tally from the answers' usage.
import { request } from 'undici';
import type { CostsReport } from '../../finops/costs-report.js';
import { isHit, type CompletionResult } from './bench-client.js';
import { sumOfMetric } from './prometheus-text.js';

export interface MoneyFigures {
  /** Input + output tokens the upstream processed (misses and bypasses), as the proxy counted them. */
  readonly tokensProcessed: number;
  /** Input + output tokens served from the cache instead. */
  readonly tokensSaved: number;
  /** Tokens of models the pricing file does not price (part of tokensProcessed, not of spend). */
  readonly tokensUnpriced: number;
  readonly spendUsd: number;
  /** spendUsd + savedUsd: what the same traffic would have cost with no cache. */
  readonly spendWithoutCacheUsd: number;
  readonly savedUsd: number;
  readonly embeddingCostUsd: number;
  /** savedUsd - embeddingCostUsd. */
  readonly netSavedUsd: number;
  /** USD per 1,000 tokens the upstream processed: spendUsd / tokensProcessed x 1000. */
  readonly cp1ktUsd: number | null;
  /** The same with no cache: (spend + saved) / (processed + saved) x 1000. */
  readonly cp1ktWithoutCacheUsd: number | null;
  /** The bench's own count from the answers' usage fields. */
  readonly tally: { readonly tokensProcessed: number; readonly tokensSaved: number };
  /** Where /admin/costs, /metrics and the tally disagree; empty when they agree. */
  readonly disagreements: readonly string[];
}

export interface TokenTally {
  add(result: CompletionResult): void;
  readonly processed: number;
  readonly saved: number;
}

export function createTokenTally(): TokenTally {
  let processed = 0;
  let saved = 0;
  return {
    add(result) {
      if (result.statusCode !== 200) return;
      const tokens = result.promptTokens + result.completionTokens;
      if (isHit(result.cacheStatus)) saved += tokens;
      else processed += tokens;
    },
    get processed() {
      return processed;
    },
    get saved() {
      return saved;
    },
  };
}

async function getText(url: string, token?: string): Promise<string> {
  const response = await request(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${text.slice(0, 200)}`);
  return text;
}

/** The proxy's additive money counters at one moment, from /admin/costs and from /metrics. */
export interface CostSnapshot {
  readonly tokensProcessed: number;
  readonly tokensSaved: number;
  readonly tokensUnpriced: number;
  readonly spendUsd: number;
  readonly savedUsd: number;
  readonly embeddingCostUsd: number;
  readonly metrics: { readonly tokensProcessed: number; readonly tokensSaved: number; readonly spendUsd: number; readonly savedUsd: number };
}

export async function readCostSnapshot(proxyOrigin: string, adminToken: string): Promise<CostSnapshot> {
  const costs = JSON.parse(await getText(`${proxyOrigin}/admin/costs`, adminToken)) as CostsReport;
  const metrics = await getText(`${proxyOrigin}/metrics`);
  return {
    tokensProcessed: costs.tokens.processedInput + costs.tokens.processedOutput,
    tokensSaved: costs.tokens.savedInput + costs.tokens.savedOutput,
    tokensUnpriced: costs.tokens.unpriced,
    spendUsd: costs.spendUsd,
    savedUsd: costs.savedUsd,
    embeddingCostUsd: costs.embeddingCostUsd,
    metrics: {
      tokensProcessed: sumOfMetric(metrics, 'semcache_tokens_processed_total'),
      tokensSaved: sumOfMetric(metrics, 'semcache_tokens_saved_total'),
      spendUsd: sumOfMetric(metrics, 'semcache_spend_usd_total'),
      savedUsd: sumOfMetric(metrics, 'semcache_saved_usd_total'),
    },
  };
}

function combine(a: CostSnapshot, b: CostSnapshot, sign: 1 | -1): CostSnapshot {
  return {
    tokensProcessed: a.tokensProcessed + sign * b.tokensProcessed,
    tokensSaved: a.tokensSaved + sign * b.tokensSaved,
    tokensUnpriced: a.tokensUnpriced + sign * b.tokensUnpriced,
    spendUsd: a.spendUsd + sign * b.spendUsd,
    savedUsd: a.savedUsd + sign * b.savedUsd,
    embeddingCostUsd: a.embeddingCostUsd + sign * b.embeddingCostUsd,
    metrics: {
      tokensProcessed: a.metrics.tokensProcessed + sign * b.metrics.tokensProcessed,
      tokensSaved: a.metrics.tokensSaved + sign * b.metrics.tokensSaved,
      spendUsd: a.metrics.spendUsd + sign * b.metrics.spendUsd,
      savedUsd: a.metrics.savedUsd + sign * b.metrics.savedUsd,
    },
  };
}

/** a - b, field by field: what the proxy counted between two snapshots. */
export function snapshotDelta(a: CostSnapshot, b: CostSnapshot): CostSnapshot {
  return combine(a, b, -1);
}

/** a + b, field by field: two measurement passes to leave out together. */
export function snapshotSum(a: CostSnapshot, b: CostSnapshot): CostSnapshot {
  return combine(a, b, 1);
}

const USD_EPSILON = 1e-9;

function compare(disagreements: string[], what: string, a: number, b: number, epsilon = 0): void {
  if (Math.abs(a - b) > epsilon) disagreements.push(`${what}: ${a} vs ${b}`);
}

/** The money figures of what `counted` holds, checked against /metrics and the bench's tally. */
export function moneyOf(counted: CostSnapshot, tally: TokenTally): MoneyFigures {
  const { tokensProcessed, tokensSaved, tokensUnpriced, spendUsd, savedUsd, embeddingCostUsd } = counted;
  const disagreements: string[] = [];
  compare(disagreements, 'tokens processed, /admin/costs vs /metrics', tokensProcessed, counted.metrics.tokensProcessed);
  compare(disagreements, 'tokens saved, /admin/costs vs /metrics', tokensSaved, counted.metrics.tokensSaved);
  compare(disagreements, 'spend USD, /admin/costs vs /metrics', spendUsd, counted.metrics.spendUsd, USD_EPSILON);
  compare(disagreements, 'saved USD, /admin/costs vs /metrics', savedUsd, counted.metrics.savedUsd, USD_EPSILON);
  compare(disagreements, 'tokens processed, proxy vs bench tally', tokensProcessed, tally.processed);
  compare(disagreements, 'tokens saved, proxy vs bench tally', tokensSaved, tally.saved);
  const pricedTokens = tokensProcessed - tokensUnpriced;
  const spendWithoutCacheUsd = spendUsd + savedUsd;
  return {
    tokensProcessed,
    tokensSaved,
    tokensUnpriced,
    spendUsd,
    spendWithoutCacheUsd,
    savedUsd,
    embeddingCostUsd,
    netSavedUsd: savedUsd - embeddingCostUsd,
    cp1ktUsd: pricedTokens > 0 ? (spendUsd / pricedTokens) * 1000 : null,
    cp1ktWithoutCacheUsd: pricedTokens + tokensSaved > 0 && tokensUnpriced === 0 ? (spendWithoutCacheUsd / (pricedTokens + tokensSaved)) * 1000 : null,
    tally: { tokensProcessed: tally.processed, tokensSaved: tally.saved },
    disagreements,
  };
}
