// "Best mobile app developers" and "best mobile app developers in Boston", "How do I create a
// WordPress theme" and "... for beginners": one prompt is the other plus a qualifying phrase, and
// the encoder, averaging over the shared words, puts them above 0.95. The qualified question has a
// narrower answer than the general one, so neither answer serves the other. This guard rejects a
// pair when every content word of one side occurs in the other, and the other adds a phrase led by
// a preposition whose content words the first side lacks entirely. Phrases that qualify nothing are
// skipped: idioms ("in order to", "in general"), generic quantifiers and pronouns ("for any
// purchase", "by myself"), and phrases in a sentence of their own that shares no content word
// (narrative such as "I am unhappy with the service." added to a question).

import { rootIndex, typoIndex, type WordIndex } from './spelling.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

const PREPOSITIONS = new Set([
  'in',
  'for',
  'with',
  'under',
  'after',
  'before',
  'at',
  'by',
  'without',
  'from',
  'on',
  'during',
  'within',
  'near',
  'since',
  'below',
  'above',
  'around',
  'between',
  'via',
  'using',
  'through',
  'across',
  'against',
  'among',
  'per',
  'outside',
  'inside',
]);
// A qualifying phrase is a short noun phrase; these words start a new clause or question instead.
const PHRASE_BREAKS = new Set([
  'and',
  'or',
  'but',
  'what',
  'which',
  'who',
  'how',
  'why',
  'when',
  'where',
  'that',
  'if',
  'so',
  'than',
  'to',
  'is',
  'are',
  'was',
  'were',
  'do',
  'does',
  'did',
  'can',
  'should',
  'will',
  'would',
  'could',
  'i',
  'you',
  'we',
  'they',
  'he',
  'she',
  'it',
]);
// "for any purchase", "in all cases", "by myself": a phrase about anything narrows nothing.
const GENERIC = new Set([
  'any',
  'all',
  'every',
  'some',
  'anyone',
  'anything',
  'anybody',
  'everyone',
  'everything',
  'everybody',
  'someone',
  'something',
  'somebody',
  'myself',
  'yourself',
  'himself',
  'herself',
  'itself',
  'ourselves',
  'themselves',
  'oneself',
]);
// Fixed phrases that look like preposition + noun but qualify nothing.
const IDIOMS = new Set([
  'in order',
  'in general',
  'at all',
  'for example',
  'for instance',
  'in fact',
  'by the way',
  'in particular',
  'of course',
  'at least',
  'at most',
  'in advance',
  'in short',
  'in detail',
  'in the world',
  'on earth',
  'in reality',
  'in practice',
  'in total',
  'at once',
  'in time',
  'on time',
  'by mistake',
  'by accident',
  'in case',
]);
// A prompt this short shares too little with the other for "the rest is the same" to mean anything.
const MIN_SHARED_WORDS = 2;
const MAX_PHRASE_WORDS = 3;

function contentStems(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) if (!ENGLISH_STOPWORDS.has(t.lower)) out.add(stem(t.lower));
  return out;
}

/** Stems where the same word inflected or misspelt counts as present ("theme"/"themes",
 * "succesful"/"successful"). */
function looseStems(stems: ReadonlySet<string>): WordIndex {
  const roots = rootIndex(stems);
  const typos = typoIndex(stems);
  return { has: (word) => roots.has(word) || typos.has(word) };
}

function isIdiom(tokens: readonly Token[], i: number): boolean {
  const two = `${tokens[i]!.lower} ${tokens[i + 1]?.lower ?? ''}`;
  return IDIOMS.has(two) || IDIOMS.has(`${two} ${tokens[i + 2]?.lower ?? ''}`);
}

/** Content stems of the noun phrase after the preposition at `i`; empty when it is generic. */
function phraseAfter(tokens: readonly Token[], i: number): string[] {
  const words: string[] = [];
  for (let k = i + 1; k < tokens.length && words.length < MAX_PHRASE_WORDS; k++) {
    const t = tokens[k]!;
    if (t.sentenceStart || PREPOSITIONS.has(t.lower) || PHRASE_BREAKS.has(t.lower)) break;
    if (GENERIC.has(t.lower)) return [];
    if (!ENGLISH_STOPWORDS.has(t.lower)) words.push(stem(t.lower));
  }
  return words;
}

/** Sentence number of each token, and the sentences that share a content word with `other`. */
function sentencesSharing(tokens: readonly Token[], other: WordIndex) {
  const sentenceOf: number[] = [];
  const sharing = new Set<number>();
  let n = -1;
  for (const t of tokens) {
    if (t.sentenceStart || n < 0) n++;
    sentenceOf.push(n);
    if (!ENGLISH_STOPWORDS.has(t.lower) && other.has(stem(t.lower))) sharing.add(n);
  }
  return { sentenceOf, sharing };
}

/** The first qualifying phrase of `longer` whose content words `other` lacks, e.g. "in boston". */
function addedPhrase(longer: TokenizedText, other: WordIndex): string | undefined {
  const { tokens } = longer;
  const { sentenceOf, sharing } = sentencesSharing(tokens, other);
  for (let i = 0; i < tokens.length; i++) {
    if (!PREPOSITIONS.has(tokens[i]!.lower) || !sharing.has(sentenceOf[i]!) || isIdiom(tokens, i)) continue;
    const words = phraseAfter(tokens, i);
    if (words.length > 0 && !words.some((w) => other.has(w))) return `${tokens[i]!.lower} ${words.join(' ')}`;
  }
  return undefined;
}

/** The phrase one side adds to an otherwise covered question, or undefined when there is none. */
export function extraSpecifier(a: TokenizedText, b: TokenizedText): string | undefined {
  const stemsA = contentStems(a.tokens);
  const stemsB = contentStems(b.tokens);
  const looseA = looseStems(stemsA);
  const looseB = looseStems(stemsB);
  for (const [longer, shorterStems, shorterLoose, longerLoose] of [
    [a, stemsB, looseB, looseA],
    [b, stemsA, looseA, looseB],
  ] as const) {
    let shared = 0;
    let covered = true;
    for (const w of shorterStems) {
      if (longerLoose.has(w)) shared++;
      else covered = false;
    }
    if (!covered || shared < MIN_SHARED_WORDS) continue;
    const phrase = addedPhrase(longer, shorterLoose);
    if (phrase !== undefined) return phrase;
  }
  return undefined;
}

export const specifierGuard = defineTokenGuard('specifier', (query, candidate) => {
  const phrase = extraSpecifier(query, candidate);
  return phrase === undefined ? PASS : reject(`one side adds a qualifier: "${phrase}"`);
});
