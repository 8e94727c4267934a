// Entry ids for a fleet: unique across replicas, taken from Redis in blocks (INCRBY), so that storing
// an entry needs no round trip of its own. When the block runs low the next is taken in the
// background; with Redis down and the block used up, nothing can be stored (nothing is shared then
// anyway). The counter starts from the clock (microseconds), so a Redis that restarted empty hands
// out ids above every one it handed out before, and an id a client still holds never names a new
// entry.
import type { Redis } from 'ioredis';

const BLOCK = 1_000;
/** Ids left at which the next block is asked for. */
const LOW_WATER = 200;

export interface IdPool {
  /** The next id, or undefined when none is in hand. */
  take(): number | undefined;
  /** Asks for a block now (at start). */
  refill(): Promise<void>;
  /** Drops the ids in hand and asks for a fresh block (when Redis is back: it may have restarted). */
  renew(): Promise<void>;
}

export function createIdPool(redis: Redis, key: string): IdPool {
  const ranges: Array<{ next: number; last: number }> = [];
  let asking: Promise<void> | undefined;
  const left = (): number => ranges.reduce((sum, r) => sum + (r.last - r.next + 1), 0);

  function refill(): Promise<void> {
    asking ??= redis
      .multi()
      .set(key, String(Date.now() * 1000), 'NX')
      .incrby(key, BLOCK)
      .exec()
      .then((replies) => {
        const last = Number(replies?.[1]?.[1]);
        if (Number.isSafeInteger(last)) ranges.push({ next: last - BLOCK + 1, last });
      })
      .catch(() => undefined)
      .finally(() => {
        asking = undefined;
      });
    return asking;
  }

  return {
    take() {
      const range = ranges[0];
      if (range === undefined) {
        void refill();
        return undefined;
      }
      const id = range.next++;
      if (range.next > range.last) ranges.shift();
      if (left() < LOW_WATER) void refill();
      return id;
    },
    refill,
    renew() {
      ranges.length = 0;
      return refill();
    },
  };
}
