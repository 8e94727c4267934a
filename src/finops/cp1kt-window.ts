// Sliding-window sums of spend and tokens per key (a dimension such as `model/llama-3-8b`), kept in
// a ring of time buckets, plus since-start totals. A bucket covers windowMs / buckets; the window
// holds the current bucket and the buckets-1 before it, so a value leaves the window between
// (buckets-1) and buckets bucket-lengths after it was added. Pure: time comes from `now`.
import { TARGET_SCOPES, type TargetScope } from '../config-pricing.js';

export const DEFAULT_WINDOW_BUCKETS = 60;

export interface Sums {
  readonly spendUsd: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export const ZERO_SUMS: Sums = { spendUsd: 0, inputTokens: 0, outputTokens: 0 };

export interface Cp1ktWindow {
  readonly bucketMs: number;
  readonly buckets: number;
  add(key: string, amounts: Sums): void;
  /** As `add`, into the bucket holding `atMs` (spend settled after its bucket closed); into the
   * since-start totals only when that bucket has left the window. */
  addAt(key: string, amounts: Sums, atMs: number): void;
  window(key: string): Sums;
  sinceStart(key: string): Sums;
  /** Tokens (input + output) per bucket over the part of the window since start, oldest first. */
  bucketTokens(key: string): number[];
  keys(): string[];
}

interface Ring {
  readonly index: Float64Array;
  readonly spend: Float64Array;
  readonly input: Float64Array;
  readonly output: Float64Array;
  total: Sums;
}

export function dimensionKey(scope: TargetScope, name: string): string {
  return `${scope}/${name}`;
}

export function splitDimensionKey(key: string): { scope: TargetScope; name: string } | undefined {
  const slash = key.indexOf('/');
  const scope = TARGET_SCOPES.find((s) => s === key.slice(0, slash));
  return scope === undefined ? undefined : { scope, name: key.slice(slash + 1) };
}

export function tokensOf(sums: Sums): number {
  return sums.inputTokens + sums.outputTokens;
}

/** USD per 1,000 tokens; undefined when no priced token was processed (0/0 is not a cost). */
export function cp1ktOf(sums: Sums): number | undefined {
  const tokens = tokensOf(sums);
  return tokens > 0 ? (sums.spendUsd / tokens) * 1000 : undefined;
}

export function createCp1ktWindow(options: { windowMs: number; buckets?: number; now: () => number }): Cp1ktWindow {
  const buckets = options.buckets ?? DEFAULT_WINDOW_BUCKETS;
  const bucketMs = options.windowMs / buckets;
  const { now } = options;
  const startBucket = Math.floor(now() / bucketMs);
  const rings = new Map<string, Ring>();

  const current = (): number => Math.floor(now() / bucketMs);
  const live = (ring: Ring, slot: number, at: number): boolean => {
    const index = ring.index[slot] ?? -1;
    return index > at - buckets && index <= at;
  };

  const ringFor = (key: string): Ring => {
    let ring = rings.get(key);
    if (ring === undefined) {
      ring = {
        index: new Float64Array(buckets).fill(-Infinity),
        spend: new Float64Array(buckets),
        input: new Float64Array(buckets),
        output: new Float64Array(buckets),
        total: ZERO_SUMS,
      };
      rings.set(key, ring);
    }
    return ring;
  };

  const addAt = (key: string, amounts: Sums, atMs: number): void => {
    const ring = ringFor(key);
    const bucket = Math.floor(atMs / bucketMs);
    const slot = bucket % buckets;
    const slotIndex = ring.index[slot] ?? -Infinity;
    // The bucket is still in the window, and its slot is not taken by a newer bucket.
    if (bucket > current() - buckets && slotIndex <= bucket) {
      if (slotIndex !== bucket) {
        ring.index[slot] = bucket;
        ring.spend[slot] = 0;
        ring.input[slot] = 0;
        ring.output[slot] = 0;
      }
      ring.spend[slot] = (ring.spend[slot] ?? 0) + amounts.spendUsd;
      ring.input[slot] = (ring.input[slot] ?? 0) + amounts.inputTokens;
      ring.output[slot] = (ring.output[slot] ?? 0) + amounts.outputTokens;
    }
    const t = ring.total;
    ring.total = {
      spendUsd: t.spendUsd + amounts.spendUsd,
      inputTokens: t.inputTokens + amounts.inputTokens,
      outputTokens: t.outputTokens + amounts.outputTokens,
    };
  };

  return {
    bucketMs,
    buckets,
    add: (key, amounts) => addAt(key, amounts, now()),
    addAt,
    window(key) {
      const ring = rings.get(key);
      if (ring === undefined) return ZERO_SUMS;
      const at = current();
      let spendUsd = 0;
      let inputTokens = 0;
      let outputTokens = 0;
      for (let slot = 0; slot < buckets; slot += 1) {
        if (!live(ring, slot, at)) continue;
        spendUsd += ring.spend[slot] ?? 0;
        inputTokens += ring.input[slot] ?? 0;
        outputTokens += ring.output[slot] ?? 0;
      }
      return { spendUsd, inputTokens, outputTokens };
    },
    sinceStart: (key) => rings.get(key)?.total ?? ZERO_SUMS,
    bucketTokens(key) {
      const at = current();
      const first = Math.max(at - buckets + 1, startBucket);
      const ring = rings.get(key);
      const tokens: number[] = [];
      for (let index = first; index <= at; index += 1) {
        const slot = index % buckets;
        tokens.push(ring !== undefined && ring.index[slot] === index ? (ring.input[slot] ?? 0) + (ring.output[slot] ?? 0) : 0);
      }
      return tokens;
    },
    keys: () => [...rings.keys()],
  };
}
