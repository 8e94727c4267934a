// Feedback on wrong hits: pairings of (entry, prompt) that must never hit again. Prompts are kept as
// hashes of their exact-tier form, bounded per entry, and dropped with their entry.
import { createHash } from 'node:crypto';
import { normalizeForExact } from './normalize.js';

/** Feedback blocks kept per entry, at most: past it the oldest is forgotten. */
const MAX_BLOCKS_PER_ENTRY = 256;

export interface FeedbackBlocks {
  block(entryId: number, prompt: string): void;
  isBlocked(entryId: number, prompt: string): boolean;
  /** Drops the blocks of an entry that left the cache. */
  forget(entryId: number): void;
  readonly size: number;
}

function promptHash(prompt: string): string {
  return createHash('sha256').update(normalizeForExact(prompt)).digest('hex');
}

export function createFeedbackBlocks(): FeedbackBlocks {
  const blocked = new Map<number, Set<string>>();
  let size = 0;
  return {
    block(entryId, prompt) {
      const prompts = blocked.get(entryId) ?? new Set<string>();
      blocked.set(entryId, prompts);
      const hash = promptHash(prompt);
      if (prompts.has(hash)) return;
      prompts.add(hash);
      size += 1;
      if (prompts.size > MAX_BLOCKS_PER_ENTRY) {
        const oldest = prompts.values().next().value;
        if (oldest !== undefined) prompts.delete(oldest);
        size -= 1;
      }
    },
    isBlocked: (entryId, prompt) => blocked.get(entryId)?.has(promptHash(prompt)) === true,
    forget(entryId) {
      size -= blocked.get(entryId)?.size ?? 0;
      blocked.delete(entryId);
    },
    get size() {
      return size;
    },
  };
}
