// The dashboard's recent hits and near misses: a ring buffer in memory, bounded by a count
// (SEMCACHE_RECENT_LOOKUPS) and by the length of what it keeps of each prompt, so that an operator
// can see which prompts hit which entries and mark a wrong one. Near misses are candidates above
// the threshold that a guard (or the ambiguity test) refused.

/** Characters of a prompt shown in the list. */
export const SHOWN_PROMPT_CHARS = 200;
/** A semantic hit's prompt is kept whole up to this length, for the wrong-hit feedback (a block is
 * keyed on the whole prompt); semantic hits are short unless the guards are off. */
export const FEEDBACK_PROMPT_CHARS = 8192;

export type LookupKind = 'exact-hit' | 'semantic-hit' | 'near-miss';

export interface LookupEvent {
  readonly kind: LookupKind;
  readonly endpoint: string;
  readonly model: string;
  /** The prompt as the guards saw it; undefined when only the exact tier could match it. */
  readonly prompt: string | undefined;
  /** The stored prompt it hit or nearly hit; undefined when not at hand (resolved when read). */
  readonly matchedPrompt: string | undefined;
  readonly entryId: number;
  readonly similarity: number;
  readonly supported: number | undefined;
  readonly guard: string | undefined;
  readonly reason: string | undefined;
  /** Tenant alias, or the key hash, with the namespace when there is one. */
  readonly tenant: string;
}

export interface RecentLookup extends Omit<LookupEvent, 'prompt'> {
  /** Increases by one with every lookup recorded. */
  readonly seq: number;
  readonly at: string;
  /** The prompt, cut to SHOWN_PROMPT_CHARS. */
  readonly prompt: string | undefined;
  /** The whole prompt, for the wrong-hit feedback: semantic hits only, when short enough. */
  readonly feedbackPrompt: string | undefined;
}

export interface RecentLookups {
  readonly capacity: number;
  record(event: LookupEvent): void;
  /** The most recent first. */
  list(limit: number): RecentLookup[];
}

export function shorten(text: string | undefined, chars = SHOWN_PROMPT_CHARS): string | undefined {
  return text === undefined || text.length <= chars ? text : `${text.slice(0, chars)}…`;
}

export function createRecentLookups(capacity: number, now: () => number = Date.now): RecentLookups {
  const ring: RecentLookup[] = [];
  let seq = 0;
  return {
    capacity,
    record(event) {
      if (capacity <= 0) return;
      const feedbackPrompt =
        event.kind === 'semantic-hit' && event.prompt !== undefined && event.prompt.length <= FEEDBACK_PROMPT_CHARS ? event.prompt : undefined;
      const item: RecentLookup = {
        ...event,
        seq: ++seq,
        at: new Date(now()).toISOString(),
        prompt: shorten(event.prompt),
        matchedPrompt: shorten(event.matchedPrompt),
        feedbackPrompt,
      };
      ring[(item.seq - 1) % capacity] = item;
    },
    list(limit) {
      return [...ring].sort((a, b) => b.seq - a.seq).slice(0, limit);
    },
  };
}
