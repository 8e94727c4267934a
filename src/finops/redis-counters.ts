// The fleet's CP1KT counters in Redis (finops/fleet-window.ts): one hash per time bucket, a field per
// dimension and figure, added to with HINCRBYFLOAT, kept twice the window.
import type { LogSink } from '../logger.js';
import { connectRedis } from '../store/redis/redis-connection.js';
import type { BucketSums, SharedSums } from './fleet-window.js';

const FIGURES = [
  ['s', 'spendUsd'],
  ['i', 'inputTokens'],
  ['o', 'outputTokens'],
] as const;
const SEPARATOR = '\u001f';

export function createRedisCounters(options: {
  url: URL;
  prefix: string;
  windowMs: number;
  logger: LogSink;
  caFile?: string | undefined;
  describe: string;
}): SharedSums {
  // Connected in the background: the first syncs fail (and are retried) until it is up.
  const connecting = connectRedis({ url: options.url, logger: options.logger, caFile: options.caFile, describe: `${options.describe} (CP1KT counters)` });
  const keyOf = (bucket: number): string => `${options.prefix}:cp1kt:${bucket}`;
  return {
    async push(deltas) {
      if (deltas.length === 0) return;
      const pipeline = (await connecting).commands.pipeline();
      for (const { bucket, key, sums } of deltas) {
        for (const [code, figure] of FIGURES) if (sums[figure] !== 0) pipeline.hincrbyfloat(keyOf(bucket), `${key}${SEPARATOR}${code}`, sums[figure]);
        pipeline.pexpire(keyOf(bucket), options.windowMs * 2);
      }
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error !== null);
      if (failed !== undefined) throw failed[0];
    },
    async pull(fromBucket, toBucket) {
      const pipeline = (await connecting).commands.pipeline();
      for (let bucket = fromBucket; bucket <= toBucket; bucket++) pipeline.hgetall(keyOf(bucket));
      const replies = (await pipeline.exec()) ?? [];
      const found: BucketSums[] = [];
      replies.forEach(([error, hash], i) => {
        if (error !== null) throw error;
        const byKey = new Map<string, { spendUsd: number; inputTokens: number; outputTokens: number }>();
        for (const [field, value] of Object.entries(hash as Record<string, string>)) {
          const at = field.lastIndexOf(SEPARATOR);
          const key = field.slice(0, at);
          const figure = FIGURES.find(([code]) => code === field.slice(at + 1))?.[1];
          if (figure === undefined) continue;
          const sums = byKey.get(key) ?? { spendUsd: 0, inputTokens: 0, outputTokens: 0 };
          sums[figure] = Number(value);
          byKey.set(key, sums);
        }
        for (const [key, sums] of byKey) found.push({ bucket: fromBucket + i, key, sums });
      });
      return found;
    },
    close: async () => (await connecting).close(),
  };
}
