// The CP1KT window of a fleet: every replica adds what its own traffic spent to shared counters (in
// Redis, per time bucket) and reads back the whole fleet's, so targets and cheap-route decisions
// are judged on the fleet's window, not on one replica's share of it. Since-start totals and the
// what-if's bucket history stay the replica's own. What this replica added and has not yet seen come
// back from the counters is counted from memory, so its own traffic shows at once; while the
// counters cannot be reached, deltas wait (within the window) and the last fleet figures stand.
import type { LogSink } from '../logger.js';
import { createCp1ktWindow, ZERO_SUMS, type Cp1ktWindow, type Sums } from './cp1kt-window.js';

export interface BucketSums {
  readonly bucket: number;
  readonly key: string;
  readonly sums: Sums;
}

/** Counters the fleet shares (redis-counters.ts). */
export interface SharedSums {
  push(deltas: readonly BucketSums[]): Promise<void>;
  /** Every key's sums in the buckets fromBucket..toBucket. */
  pull(fromBucket: number, toBucket: number): Promise<BucketSums[]>;
  close(): Promise<void>;
}

export interface FleetWindow extends Cp1ktWindow {
  /** Pushes this replica's deltas and pulls the fleet's sums (on a timer; tests call it). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

function plus(a: Sums, b: Sums): Sums {
  return { spendUsd: a.spendUsd + b.spendUsd, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

export function createFleetWindow(options: {
  windowMs: number;
  buckets?: number;
  now: () => number;
  shared: SharedSums;
  syncMs: number;
  logger: LogSink;
}): FleetWindow {
  const { now, shared } = options;
  const local = createCp1ktWindow(options);
  const { bucketMs, buckets } = local;
  const current = (): number => Math.floor(now() / bucketMs);
  // Deltas not yet pushed, and deltas pushed but not yet seen in a pull: by bucket and key.
  let pending = new Map<string, BucketSums>();
  let fleet = new Map<string, Map<number, Sums>>();
  let failing = false;

  const inWindow = (bucket: number): boolean => bucket > current() - buckets && bucket <= current();

  function addAt(key: string, amounts: Sums, atMs: number): void {
    local.addAt(key, amounts, atMs);
    const bucket = Math.floor(atMs / bucketMs);
    if (!inWindow(bucket)) return;
    const id = `${bucket}\n${key}`;
    pending.set(id, { bucket, key, sums: plus(pending.get(id)?.sums ?? ZERO_SUMS, amounts) });
  }

  async function sync(): Promise<void> {
    const sent = [...pending.values()].filter((d) => inWindow(d.bucket));
    try {
      await shared.push(sent);
      const pulled = await shared.pull(current() - buckets + 1, current());
      const next = new Map<string, Map<number, Sums>>();
      for (const { bucket, key, sums } of pulled) {
        const byBucket = next.get(key) ?? new Map<number, Sums>();
        byBucket.set(bucket, sums);
        next.set(key, byBucket);
      }
      fleet = next;
      // What was sent is in the pull now; what arrived meanwhile waits for the next sync.
      const remaining = new Map<string, BucketSums>();
      for (const [id, delta] of pending) {
        const wasSent = sent.find((d) => d.bucket === delta.bucket && d.key === delta.key);
        const left =
          wasSent === undefined
            ? delta.sums
            : {
                spendUsd: delta.sums.spendUsd - wasSent.sums.spendUsd,
                inputTokens: delta.sums.inputTokens - wasSent.sums.inputTokens,
                outputTokens: delta.sums.outputTokens - wasSent.sums.outputTokens,
              };
        if (inWindow(delta.bucket) && (left.spendUsd !== 0 || left.inputTokens !== 0 || left.outputTokens !== 0)) remaining.set(id, { ...delta, sums: left });
      }
      pending = remaining;
      if (failing) options.logger.info({}, 'fleet CP1KT counters reachable again');
      failing = false;
    } catch (error) {
      if (!failing)
        options.logger.error({ err: error }, "fleet CP1KT counters unreachable: judging targets on the last fleet figures and this replica's own traffic");
      failing = true;
    }
  }

  const timer = setInterval(() => void sync(), options.syncMs);
  timer.unref();

  return {
    bucketMs,
    buckets,
    add: (key, amounts) => addAt(key, amounts, now()),
    addAt,
    window(key) {
      let sums = ZERO_SUMS;
      for (const [bucket, bucketSums] of fleet.get(key) ?? []) if (inWindow(bucket)) sums = plus(sums, bucketSums);
      for (const delta of pending.values()) if (delta.key === key && inWindow(delta.bucket)) sums = plus(sums, delta.sums);
      return sums;
    },
    sinceStart: (key) => local.sinceStart(key),
    bucketTokens: (key) => local.bucketTokens(key),
    keys: () => [...new Set([...local.keys(), ...fleet.keys()])],
    sync,
    async close() {
      clearInterval(timer);
      await sync();
      await shared.close();
    },
  };
}
