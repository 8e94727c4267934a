// Feedback on wrong hits: pairings of (entry, prompt) that must never hit again, the prompt as a hash
// (the engine hashes its exact-tier form), bounded per entry and dropped with their entry.

/** Feedback blocks kept per entry, at most: past it the oldest is forgotten. */
const MAX_BLOCKS_PER_ENTRY = 256;

export interface FeedbackBlocks {
  block(entryId: number, promptHash: string): void;
  isBlocked(entryId: number, promptHash: string): boolean;
  /** Drops the blocks of an entry that left the cache. */
  forget(entryId: number): void;
  readonly size: number;
}

export function createFeedbackBlocks(): FeedbackBlocks {
  const blocked = new Map<number, Set<string>>();
  let size = 0;
  return {
    block(entryId, promptHash) {
      const hashes = blocked.get(entryId) ?? new Set<string>();
      blocked.set(entryId, hashes);
      if (hashes.has(promptHash)) return;
      hashes.add(promptHash);
      size += 1;
      if (hashes.size > MAX_BLOCKS_PER_ENTRY) {
        const oldest = hashes.values().next().value;
        if (oldest !== undefined) hashes.delete(oldest);
        size -= 1;
      }
    },
    isBlocked: (entryId, promptHash) => blocked.get(entryId)?.has(promptHash) === true,
    forget(entryId) {
      size -= blocked.get(entryId)?.size ?? 0;
      blocked.delete(entryId);
    },
    get size() {
      return size;
    },
  };
}
