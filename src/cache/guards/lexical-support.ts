// Below a certain cosine the encoder alone no longer tells a rewording from a neighbouring question:
// with USE-lite, banking queries of different intents ("How do I get my card?" / "How do I get my
// card to work?") share a frame and score 0.90-0.94, as do real rewordings. What separates them is
// the words one side says and the other does not explain. So a candidate below the confident
// similarity is charged for each such word, and it is a hit only when what is left still reaches
// the threshold. At or above the confident similarity nothing is charged: the default threshold
// (0.95) behaves as without this rule; it matters when an operator lowers the threshold for recall.
//
// What a word is charged depends on what it can mean for the question (bench/RESULTS.md measures
// each part on data it was not tuned on):
// - a word the other side explains costs nothing: the same word inflected ("taught"/"teach"),
//   derived ("daily"/"day"), misspelt, split or joined ("set up"/"setup", "key-based"), clipped
//   ("chemo"/"chemotherapy") or abbreviated to its initials ("BP"/"blood pressure");
// - a common English word ("take", "help", "problem") costs less than a rare one (word-frequency.ts):
//   rewordings trade common words, while rare ones name the topic;
// - past `maxWords` words' worth (one, by default) nothing more is charged: one unexplained topic
//   word already shows the two may differ, more of them add nothing the cosine has not seen, and a
//   paraphrase that changes many words is what the encoder recognises best. So a candidate never
//   needs more than `penaltyPerWord` (0.04) above the threshold, however many words it rewords.

import { IRREGULAR_BASE } from './irregular-verbs.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';
import { DEFAULT_SUPPORT_PENALTY, DEFAULT_SUPPORT_SIMILARITY } from '../../config.js';
import { rootIndex, typoIndex } from './spelling.js';
import { createSynonymIndex, type SynonymIndex } from './synonyms.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';
import { informativeness } from './word-frequency.js';

export interface SupportOptions {
  /** Similarity at and above which no lexical support is asked for. */
  readonly confidentSimilarity: number;
  /** Similarity charged for each rare content word one side has and the other does not explain. */
  readonly penaltyPerWord: number;
  /** The weight of the most common English words, against 1 for rare ones (1: a flat charge);
   * DEFAULT_COMMON_WORD_WEIGHT when left out. */
  readonly commonWordWeight?: number;
  /** Most words' worth charged; DEFAULT_MAX_WORDS when left out. */
  readonly maxWords?: number;
}

export const DEFAULT_COMMON_WORD_WEIGHT = 0.5;
export const DEFAULT_MAX_WORDS = 1;

export const DEFAULT_SUPPORT = Object.freeze({
  confidentSimilarity: DEFAULT_SUPPORT_SIMILARITY,
  penaltyPerWord: DEFAULT_SUPPORT_PENALTY,
  commonWordWeight: DEFAULT_COMMON_WORD_WEIGHT,
  maxWords: DEFAULT_MAX_WORDS,
}) satisfies SupportOptions;

// Words that carry the speaker's stance or the conversation, not the topic: "I want to / need to /
// would like to", "please tell me", "still", "really". A rewording adds and drops them freely.
// Negations are left to the polarity guard and numbers to the numbers guard.
const DISCOURSE_WORDS: ReadonlySet<string> = new Set([
  'want',
  'wants',
  'wanted',
  'need',
  'needs',
  'needed',
  'like',
  'please',
  'know',
  'tell',
  'help',
  'able',
  'possible',
  'still',
  'yet',
  'now',
  'already',
  'really',
  'much',
  'many',
  'one',
  'not',
  'no',
  'never',
  'go',
  'make',
  'take',
  'thing',
  'things',
  'anyone',
  'someone',
  'something',
  'anything',
  'im',
  "i'm",
  "i've",
  "i'd",
  "i'll",
  "it's",
  'ok',
  'okay',
  'hi',
  'hello',
  'hey',
  'thanks',
  'thank',
  'even',
  'actually',
  'currently',
  'recently',
  'ever',
]);
// Prepositions, conjunctions and quantifiers the stop-word list leaves out: grammar, not topic
// (the polarity guard looks after "before"/"after", "without"). Not "through": in "go through" it
// is the verb's meaning.
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'while',
  'during',
  'after',
  'before',
  'without',
  'because',
  'until',
  'since',
  'throughout',
  'between',
  'among',
  'against',
  'within',
  'across',
  'along',
  'around',
  'behind',
  'beyond',
  'upon',
  'via',
  'per',
  'whether',
  'though',
  'although',
  'unless',
  'more',
  'most',
  'less',
  'least',
  'both',
  'either',
  'neither',
  'else',
  'instead',
  'rather',
  'quite',
  'almost',
  'again',
  'often',
  'usually',
]);

const DISCOURSE_STEMS: ReadonlySet<string> = new Set([...DISCOURSE_WORDS].map(stem));
const LETTER_RE = /\p{L}/u;
const DERIVATIONAL_RE = /(?:ation|ition|ment|ness|ity|ion|ive|ful|ous|ical|ally|al|ic|ly|er|or)$/;

/** Not content: function words ("what's" too), discourse words in any form ("makes"), negations, numbers. */
function isContent(lower: string): boolean {
  if (lower.endsWith("n't") || !LETTER_RE.test(lower)) return false;
  const root = stem(lower);
  return !(ENGLISH_STOPWORDS.has(lower) || ENGLISH_STOPWORDS.has(root) || FUNCTION_WORDS.has(lower) || DISCOURSE_WORDS.has(lower) || DISCOURSE_STEMS.has(root));
}

/** The same word without inflection or derivation: "taught" -> "teach", "daily" -> "day",
 * "relocation" -> "relocat". Both sides go through it, so it need not be a real word. */
function root(lower: string): string {
  const base = IRREGULAR_BASE.get(lower);
  // The light verbs' past forms say what happened ("hasn't gone through": still pending; "didn't
  // go through": failed), so "gone" is not explained by "go".
  const s = stem(base !== undefined && !DISCOURSE_WORDS.has(base) ? base : lower);
  const m = DERIVATIONAL_RE.exec(s);
  if (m === null || s.length - m[0].length < 3) return s;
  return stem(s.slice(0, -m[0].length).replace(/i$/, 'y'));
}

let synonymIndex: SynonymIndex | undefined;
const synonyms = (): SynonymIndex => (synonymIndex ??= createSynonymIndex(root));

/** "bought" / "purchased", "fracture" / "broken": one set of synonyms.ts holds both words. */
export function areSynonyms(a: string, b: string): boolean {
  return synonyms().same(a, b);
}

interface Word {
  readonly word: string;
  readonly root: string;
  /** The synonym sets (synonyms.ts) a member covering this word belongs to. */
  readonly concepts: readonly number[];
  /** The word joined to a neighbour ("set" + "up") and its hyphen parts ("key", "based"). */
  readonly joins: readonly string[];
  readonly parts: readonly string[];
}

interface Side {
  readonly words: readonly Word[];
  /** Every form the side offers to explain a word of the other: roots, joined neighbours
   * ("set up" -> "setup"), hyphen parts, initials of consecutive content words ("bp"). */
  readonly forms: ReadonlySet<string>;
  /** Runs of consecutive content words, keyed by their initials, to be explained by an acronym. */
  readonly initials: ReadonlyMap<string, readonly string[]>;
  /** Every synonym set a word or phrase of the side belongs to. */
  readonly concepts: ReadonlySet<number>;
}

function side(text: TokenizedText): Side {
  const words = new Map<string, Word>();
  const forms = new Set<string>();
  const initials = new Map<string, string[]>();
  const lowers = text.tokens.map((t: Token) => t.lower);
  const content = lowers.map(isContent);
  // Each neighbour pair joined once: "set" + "up" -> "setup" explains both words and the other
  // side's "setup".
  const joined = lowers.slice(0, -1).map((w, i) => root(w + lowers[i + 1]!));
  const roots = lowers.map(root);
  const conceptsAt = synonyms().conceptsAt(roots);
  for (let i = 0; i < lowers.length; i++) {
    const lower = lowers[i]!;
    const own = roots[i]!;
    const parts = lower.includes('-')
      ? lower
          .split('-')
          .filter((p) => p.length > 1)
          .map(root)
      : [];
    forms.add(own);
    for (const part of parts) forms.add(part);
    if (i < joined.length) forms.add(joined[i]!);
    if (content[i] && !words.has(lower)) {
      const joins = [joined[i], joined[i - 1]].filter((j): j is string => j !== undefined);
      words.set(lower, { word: lower, root: own, joins, parts, concepts: conceptsAt.get(i) ?? [] });
    }
    // "urinary tract infection" -> "uti": 2 to 5 content words in a row.
    let letters = '';
    for (let k = i; k < lowers.length && k < i + 5 && content[k]; k++) {
      letters += lowers[k]![0];
      if (k > i) initials.set(letters, lowers.slice(i, k + 1));
    }
  }
  return { words: [...words.values()], forms, initials, concepts: new Set([...conceptsAt.values()].flat()) };
}

// A clipping keeps at least this many letters and drops at least CLIPPED_OFF ("chemo"/"chemotherapy").
const MIN_CLIPPING = 4;
const CLIPPED_OFF = 3;

/** The clippings `words` allow: each word's prefixes a clipping of it could be. Built in time
 * linear in their letters, so a lookup per word replaces comparing every pair of words. */
function clippingsOf(words: readonly Word[]): Set<string> {
  const out = new Set<string>();
  for (const { word } of words) for (let k = MIN_CLIPPING; k <= word.length - CLIPPED_OFF; k++) out.add(word.slice(0, k));
  return out;
}

/** "chemo" / "chemotherapy", "info" / "information": either word a clipping of one of the others. */
function clipped(word: string, clippings: ReadonlySet<string>, others: ReadonlySet<string>): boolean {
  if (clippings.has(word)) return true;
  for (let k = MIN_CLIPPING; k <= word.length - CLIPPED_OFF; k++) if (others.has(word.slice(0, k))) return true;
  return false;
}

/**
 * Content words of either side that no word of the other side explains, `a`'s first; at most
 * `limit` of them (the caller needs only enough to decide).
 */
export function unexplainedWords(a: TokenizedText, b: TokenizedText, limit = Number.POSITIVE_INFINITY): string[] {
  const sideA = side(a);
  const sideB = side(b);
  const out: string[] = [];
  for (const [self, other] of [
    [sideA, sideB],
    [sideB, sideA],
  ] as const) {
    const roots = rootIndex(other.words.map((o) => o.root));
    const typos = typoIndex(other.words.map((o) => o.word));
    // Built only when a word gets this far (most are explained sooner).
    let clippings: { prefixes: Set<string>; words: Set<string> } | undefined;
    // Words of this side spelt out by an acronym of the other ("blood pressure" / "BP").
    const spelt = new Set<string>();
    for (const [letters, run] of self.initials) if (other.forms.has(letters)) for (const w of run) spelt.add(w);
    for (const w of self.words) {
      if (out.length >= limit) return out;
      if (roots.has(w.root) || other.forms.has(w.root) || typos.has(w.word) || spelt.has(w.word)) continue;
      if (w.joins.some((j) => other.forms.has(j)) || (w.parts.length > 1 && w.parts.every((p) => other.forms.has(p)))) continue;
      if (other.initials.has(w.word) || w.concepts.some((c) => other.concepts.has(c))) continue;
      clippings ??= { prefixes: clippingsOf(other.words), words: new Set(other.words.map((o) => o.word)) };
      if (clipped(w.word, clippings.prefixes, clippings.words)) continue;
      out.push(w.word);
    }
  }
  return out;
}

/** What the unexplained words cost: `penaltyPerWord` for a rare word, less for a common one, at
 * most `maxWords` words' worth. */
export function supportCharge(unexplained: readonly string[], options: SupportOptions): number {
  const floor = options.commonWordWeight ?? DEFAULT_COMMON_WORD_WEIGHT;
  let words = 0;
  for (const w of unexplained) words += informativeness(w, floor);
  return options.penaltyPerWord * Math.min(options.maxWords ?? DEFAULT_MAX_WORDS, words);
}

/** Unexplained words worth counting to know the whole charge: past this many it is at its cap. */
export function wordsToCap(options: SupportOptions): number {
  const floor = options.commonWordWeight ?? DEFAULT_COMMON_WORD_WEIGHT;
  return Math.ceil((options.maxWords ?? DEFAULT_MAX_WORDS) / Math.max(floor, 1e-3)) + 1;
}

/** The similarity a candidate is judged by: charged for its unexplained words below the confident level. */
export function supportedSimilarity(similarity: number, unexplained: readonly string[], options: SupportOptions): number {
  if (similarity >= options.confidentSimilarity) return similarity;
  return similarity - supportCharge(unexplained, options);
}
