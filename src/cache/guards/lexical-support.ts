// Below a certain cosine the encoder alone no longer tells a rewording from a neighbouring question:
// with USE-lite, banking queries of different intents ("How do I get my card?" / "How do I get my
// card to work?") share a frame and score 0.90-0.94, as do real rewordings. What separates them is
// the words one side says and the other does not explain. So a candidate below the confident
// similarity is charged a fixed amount of similarity for each such word, and it is a hit only when
// what is left still reaches the threshold. At or above the confident similarity nothing is
// charged: the default threshold (0.95) behaves as without this rule; it matters when an operator
// lowers the threshold for recall.
//
// Measured (bench/RESULTS.md): at a 0.90 threshold on the banking stream, 0.02 per word takes
// precision from 0.93 to 0.96 and keeps more right hits than raising the threshold to the same
// precision; on Quora pairs from 0.87 to 0.90.

import { ENGLISH_STOPWORDS } from './stopwords.js';
import { DEFAULT_SUPPORT_PENALTY, DEFAULT_SUPPORT_SIMILARITY } from '../../config.js';
import { rootIndex, typoIndex } from './spelling.js';
import { stem, type TokenizedText } from './tokenize.js';

export interface SupportOptions {
  /** Similarity at and above which no lexical support is asked for. */
  readonly confidentSimilarity: number;
  /** Similarity charged for each content word one side has and the other does not explain. */
  readonly penaltyPerWord: number;
}

export const DEFAULT_SUPPORT: SupportOptions = Object.freeze({ confidentSimilarity: DEFAULT_SUPPORT_SIMILARITY, penaltyPerWord: DEFAULT_SUPPORT_PENALTY });

// Words that carry the speaker's stance or the conversation, not the topic: "I want to / need to /
// would like to", "please tell me", "still", "really". A rewording adds and drops them freely.
// Negations are left to the polarity guard and numbers to the numbers guard.
const DISCOURSE_WORDS: ReadonlySet<string> = new Set([
  'want', 'wants', 'wanted', 'need', 'needs', 'needed', 'like', 'please', 'know', 'tell', 'help',
  'able', 'possible', 'still', 'yet', 'now', 'already', 'really', 'much', 'many', 'one', 'not', 'no',
  'never', 'go', 'make', 'take', 'thing', 'things', 'anyone', 'someone', 'something', 'anything',
  'im', "i'm", "i've", "i'd", "i'll", "it's", 'ok', 'okay', 'hi', 'hello', 'hey', 'thanks', 'thank',
  'even', 'actually', 'currently', 'recently', 'ever',
]);

const DISCOURSE_STEMS: ReadonlySet<string> = new Set([...DISCOURSE_WORDS].map(stem));
const LETTER_RE = /\p{L}/u;

/** Not content: function words ("what's" too), discourse words in any form ("makes"), negations, numbers. */
function isContent(lower: string): boolean {
  if (lower.endsWith("n't") || !LETTER_RE.test(lower)) return false;
  const root = stem(lower);
  return !(ENGLISH_STOPWORDS.has(lower) || ENGLISH_STOPWORDS.has(root) || DISCOURSE_WORDS.has(lower) || DISCOURSE_STEMS.has(root));
}

interface Word {
  readonly word: string;
  readonly root: string;
}

function contentWords(text: TokenizedText): Word[] {
  const out = new Map<string, Word>();
  for (const { lower } of text.tokens) if (!out.has(lower) && isContent(lower)) out.set(lower, { word: lower, root: stem(lower) });
  return [...out.values()];
}

/**
 * Content words of either side that no word of the other side explains (the same word inflected,
 * "transfers"/"transferred", or misspelt, "succesful"), `a`'s first; at most `limit` of them (the
 * caller needs only enough to decide).
 */
export function unexplainedWords(a: TokenizedText, b: TokenizedText, limit = Number.POSITIVE_INFINITY): string[] {
  const wordsA = contentWords(a);
  const wordsB = contentWords(b);
  const out: string[] = [];
  for (const [words, other] of [
    [wordsA, wordsB],
    [wordsB, wordsA],
  ] as const) {
    const roots = rootIndex(other.map((o) => o.root));
    const typos = typoIndex(other.map((o) => o.word));
    for (const w of words) {
      if (out.length >= limit) return out;
      if (!roots.has(w.root) && !typos.has(w.word)) out.push(w.word);
    }
  }
  return out;
}

/** The similarity a candidate is judged by: charged per unexplained word below the confident level. */
export function supportedSimilarity(similarity: number, unexplained: number, options: SupportOptions): number {
  if (similarity >= options.confidentSimilarity) return similarity;
  return similarity - options.penaltyPerWord * unexplained;
}
