// The shapes a pricing file describes: prices per model pattern and CP1KT targets.

export interface ApiPrice {
  readonly kind: 'api';
  /** USD per million input (prompt) tokens. */
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** USD per million input tokens the upstream served from its own prompt cache. */
  readonly cachedInputPerMTok: number | undefined;
}

export interface GpuPrice {
  readonly kind: 'gpu';
  readonly usdPerGpuHour: number;
  readonly gpus: number;
  /** Stated throughput of the whole deployment; when absent the observed traffic sets the rate. */
  readonly tokensPerSecond: number | undefined;
}

export type PriceEntry = (ApiPrice | GpuPrice) & {
  /** Glob over model ids, e.g. `llama-3-*`. */
  readonly model: string;
  /** Shown in the what-if; defaults to `<kind>:<model>`. */
  readonly name: string;
};

export const TARGET_SCOPES = ['overall', 'model', 'tenant', 'use_case'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

/** The label value used for scope="overall". */
export const OVERALL_NAME = 'all';

export interface Cp1ktTarget {
  readonly scope: TargetScope;
  /** Model label, tenant alias or use case; `all` for overall. */
  readonly name: string;
  /** Target cost per 1,000 tokens in USD, over the sliding window. */
  readonly cp1ktUsd: number;
}

export interface Pricing {
  /** In file order: the first entry whose pattern matches a model is its active price. */
  readonly models: readonly PriceEntry[];
  readonly targets: readonly Cp1ktTarget[];
}

export const EMPTY_PRICING: Pricing = { models: [], targets: [] };
