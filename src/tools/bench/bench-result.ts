// The JSON a bench run writes (`--json`): stable field names, documented in bench/README.md. The
// four headline figures come first, for the run's threshold; then the sweep (pairs only) and money.
import type { BenchMode } from './bench-args.js';
import type { LoadDetails } from './load-mode.js';
import type { Headline } from './mode-context.js';
import type { MoneyFigures } from './money.js';
import type { PairsDetails } from './pairs-mode.js';
import type { PairsScore } from './pairs-score.js';
import type { StreamDetails } from './stream-mode.js';

export const SCHEMA_VERSION = 1;

export type ModeDetails =
  | { readonly mode: 'pairs'; readonly pairs: Omit<PairsDetails, 'sweep' | 'recommended'> }
  | { readonly mode: 'stream'; readonly stream: StreamDetails }
  | { readonly mode: 'load'; readonly load: LoadDetails };

export interface VariantResult extends Headline {
  /** 'semantic': semcache as configured; 'exact': the exact tier only (SEMCACHE_SEMANTIC=false). */
  readonly cache: 'semantic' | 'exact';
  readonly money: MoneyFigures;
  readonly details: ModeDetails;
}

export interface Recommendation {
  readonly targetPrecision: number;
  readonly threshold: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly falseHitRate: number | null;
}

export interface BenchResult extends Headline {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly mode: BenchMode;
  readonly threshold: number;
  /** pairs: one point per threshold from the floor to 1; null for the other modes. */
  readonly sweep: readonly PairsScore[] | null;
  readonly recommended: Recommendation | null;
  readonly money: MoneyFigures;
  readonly generatedAt: string;
  readonly file: string | null;
  readonly rows: number;
  readonly model: string;
  /** 'simulated' or the upstream URL given with --upstream. */
  readonly upstream: string;
  readonly pricing: string;
  readonly concurrency: number;
  readonly interrupted: boolean;
  readonly durationMs: number;
  readonly details: ModeDetails;
  /** The same workload through an exact-match-only cache (--baseline exact), else null. */
  readonly baseline: VariantResult | null;
}
