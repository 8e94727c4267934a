// Spend of a provisioned GPU whose throughput is measured from the traffic. The deployment costs its
// hourly price whether busy or idle; what a token costs depends on how many other tokens share the
// same hours, which is only known once those hours are over. Pricing each request when it ends
// (the hourly price shared by the tokens seen so far) charged a burst after an idle spell the
// window's price again and again: 100 requests in one minute summed to 5 GPU-hours (found in
// review). So tokens are collected per time bucket and each bucket is settled when it closes: its
// price (plus that of the idle buckets before it, at most a window's worth) is shared by its tokens,
// in proportion, among the labels that sent them. Over any window with traffic the settled spend is
// the deployment's price for the window's hours, exactly; it is reported one bucket late.
import type { GpuPrice } from './pricing.js';

export interface SpendLabels {
  readonly model: string;
  readonly tenant: string;
  readonly useCase: string;
}

export interface Settlement {
  readonly labels: SpendLabels;
  readonly usd: number;
  /** Start of the bucket the spend belongs to, in ms since the epoch. */
  readonly bucketStartMs: number;
}

export interface GpuSettlement {
  /** Tokens a measured-throughput entry (`key`) processed now, for the labels that sent them. */
  add(key: string, entry: GpuPrice, labels: SpendLabels, tokens: number): void;
  /** The spend of every bucket closed since the last call, oldest first per entry. */
  settle(): Settlement[];
}

interface EntryState {
  readonly entry: GpuPrice;
  /** Index of the bucket tokens are being collected in. */
  open: number;
  /** Index of the last settled bucket that had tokens. */
  lastBusy: number;
  readonly tokens: Map<string, { labels: SpendLabels; tokens: number }>;
  total: number;
}

const MS_PER_HOUR = 3_600_000;

export function createGpuSettlement(options: { bucketMs: number; buckets: number; now: () => number; startedAt: number }): GpuSettlement {
  const { bucketMs, buckets, now } = options;
  const bucketHours = bucketMs / MS_PER_HOUR;
  // The deployment is taken to exist from start: the first busy bucket also pays for the idle ones
  // since start, within a window, as the window's price × hours is charged from start.
  const firstBucket = Math.floor(options.startedAt / bucketMs);
  const states = new Map<string, EntryState>();
  const pending: Settlement[] = [];

  const current = (): number => Math.floor(now() / bucketMs);

  function close(state: EntryState): void {
    if (state.total > 0) {
      const idle = Math.min(state.open - state.lastBusy - 1, buckets - 1);
      const usd = state.entry.usdPerGpuHour * state.entry.gpus * bucketHours * (1 + idle);
      for (const { labels, tokens } of state.tokens.values()) {
        pending.push({ labels, usd: (usd * tokens) / state.total, bucketStartMs: state.open * bucketMs });
      }
      state.lastBusy = state.open;
    }
    state.tokens.clear();
    state.total = 0;
    state.open = current();
  }

  return {
    add(key, entry, labels, tokens) {
      let state = states.get(key);
      if (state === undefined) {
        state = { entry, open: current(), lastBusy: firstBucket - 1, tokens: new Map(), total: 0 };
        states.set(key, state);
      }
      if (state.open < current()) close(state);
      const labelKey = `${labels.model}\u0000${labels.tenant}\u0000${labels.useCase}`;
      const slot = state.tokens.get(labelKey);
      if (slot === undefined) state.tokens.set(labelKey, { labels, tokens });
      else slot.tokens += tokens;
      state.total += tokens;
    },
    settle() {
      const at = current();
      for (const state of states.values()) if (state.open < at) close(state);
      return pending.splice(0, pending.length);
    },
  };
}
