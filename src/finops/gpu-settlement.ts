// Spend of a provisioned GPU whose throughput is measured from the traffic. The deployment costs its
// hourly price whether busy or idle; what a token costs depends on how many other tokens share the
// same hours, which is only known once those hours are over. Pricing each request when it ends
// (the hourly price shared by the tokens seen so far) would charge a burst after an idle spell the
// window's price again and again: 100 requests in one minute would sum to 5 GPU-hours. So tokens
// are collected per time bucket and each busy bucket is settled when it closes:
// the deployment's price for the time it covers (the bucket, and the idle time since the previous
// busy bucket, at most a window back, never before start) is shared by the bucket's tokens, in
// proportion, among the labels that sent them. A settlement says which time it pays for, so the
// caller books the spend at that time and the bucket's tokens at the bucket's, and a window's CP1KT
// is that window's spend over that window's tokens. Idle time after the last busy bucket is charged
// when traffic resumes within a window; a deployment idle for longer stops being charged.
import type { GpuPrice } from '../config-pricing.js';

export interface SpendLabels {
  readonly model: string;
  readonly tenant: string;
  readonly useCase: string;
}

export interface SettledTokens {
  readonly input: number;
  readonly output: number;
}

export interface Settlement {
  readonly labels: SpendLabels;
  /** This label set's share of the price of [fromMs, toMs). */
  readonly usd: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** The busy bucket's tokens of this label set, and where that bucket starts. */
  readonly tokens: SettledTokens;
  readonly bucketStartMs: number;
}

export interface GpuSettlement {
  /** Tokens a measured-throughput entry (`key`) processed now, for the labels that sent them. */
  add(key: string, entry: GpuPrice, labels: SpendLabels, tokens: SettledTokens): void;
  /** The settlements of every busy bucket closed since the last call, oldest first per entry. */
  settle(): Settlement[];
}

interface LabelTokens {
  readonly labels: SpendLabels;
  input: number;
  output: number;
}

interface EntryState {
  readonly entry: GpuPrice;
  /** Index of the bucket tokens are being collected in. */
  open: number;
  /** End (ms) of the time already paid for by a settled bucket; start at first. */
  paidUntilMs: number;
  readonly tokens: Map<string, LabelTokens>;
  total: number;
}

const MS_PER_HOUR = 3_600_000;

export function createGpuSettlement(options: { bucketMs: number; buckets: number; now: () => number; startedAt: number }): GpuSettlement {
  const { bucketMs, buckets, now, startedAt } = options;
  const states = new Map<string, EntryState>();
  const pending: Settlement[] = [];

  const current = (): number => Math.floor(now() / bucketMs);

  function close(state: EntryState): void {
    if (state.total > 0) {
      const bucketStartMs = state.open * bucketMs;
      const toMs = bucketStartMs + bucketMs;
      // Idle time before this bucket is paid back at most a window (this bucket included).
      const fromMs = Math.max(state.paidUntilMs, toMs - buckets * bucketMs, startedAt);
      const usd = (state.entry.usdPerGpuHour * state.entry.gpus * Math.max(0, toMs - fromMs)) / MS_PER_HOUR;
      for (const { labels, input, output } of state.tokens.values()) {
        const share = (input + output) / state.total;
        pending.push({ labels, usd: usd * share, fromMs, toMs, tokens: { input, output }, bucketStartMs });
      }
      state.paidUntilMs = toMs;
    }
    state.tokens.clear();
    state.total = 0;
    state.open = current();
  }

  return {
    add(key, entry, labels, tokens) {
      let state = states.get(key);
      if (state === undefined) {
        state = { entry, open: current(), paidUntilMs: startedAt, tokens: new Map(), total: 0 };
        states.set(key, state);
      }
      if (state.open < current()) close(state);
      const labelKey = `${labels.model}\u0000${labels.tenant}\u0000${labels.useCase}`;
      const slot = state.tokens.get(labelKey);
      if (slot === undefined) state.tokens.set(labelKey, { labels, input: tokens.input, output: tokens.output });
      else {
        slot.input += tokens.input;
        slot.output += tokens.output;
      }
      state.total += tokens.input + tokens.output;
    },
    settle() {
      const at = current();
      for (const state of states.values()) if (state.open < at) close(state);
      return pending.splice(0, pending.length);
    },
  };
}
