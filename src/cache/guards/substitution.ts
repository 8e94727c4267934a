// The false hits users complain about share one shape: the same sentence with one word swapped
// ("10 miles"/"25 miles", "enable"/"disable", "France"/"Spain", "cash withdrawal"/"card payment").
// The encoder averages over the unchanged frame, so the swap hardly moves the vector. This guard
// rejects a pair whose words are identical except for one word on each side, when both are content
// words and not the same word inflected or misspelt. Measured on QQP it also rejects some
// synonym swaps ("linked"/"related"): that recall is the price of catching the swaps above.

import { areSynonyms } from './lexical-support.js';
import { NEGATIONS } from './polarity.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';
import { oneEditApart, sameRoot } from './spelling.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type TokenizedText } from './tokenize.js';

// An unchanged frame shorter than this is too little context to call the rest "the same question".
const MIN_FRAME_WORDS = 3;
// Modal verbs of wanting change the tone, not the question ("I want / need / wish to close my account").
const MODAL_VERBS = new Set(['want', 'wants', 'need', 'needs', 'wish', 'would', 'like']);

function isFunctionWord(w: string): boolean {
  // Negations are the polarity guard's business ("doesn't"/"won't" is a rewording).
  return ENGLISH_STOPWORDS.has(w) || MODAL_VERBS.has(w) || NEGATIONS.has(w) || w.endsWith("n't") || w === 'never';
}

function checkSubstitution(a: TokenizedText, b: TokenizedText) {
  const x = a.tokens;
  const y = b.tokens;
  if (Math.abs(x.length - y.length) > 0 || x.length <= MIN_FRAME_WORDS) return PASS;
  let p = 0;
  while (p < x.length && stem(x[p]!.lower) === stem(y[p]!.lower)) p++;
  if (p === x.length) return PASS;
  let s = 0;
  while (s < x.length - p - 1 && stem(x[x.length - 1 - s]!.lower) === stem(y[y.length - 1 - s]!.lower)) s++;
  // Exactly one differing word on each side.
  if (p + s !== x.length - 1) return PASS;
  const wa = x[p]!.lower;
  const wb = y[p]!.lower;
  if (isFunctionWord(wa) || isFunctionWord(wb)) return PASS;
  if (sameRoot(wa, wb) || sameRoot(stem(wa), stem(wb)) || oneEditApart(wa, wb)) return PASS;
  // "acquired" / "bought": a synonym of general English (synonyms.ts) is a rewording, not a swap.
  if (areSynonyms(wa, wb)) return PASS;
  return reject(`one word differs: "${wa}" vs "${wb}"`);
}

export const substitutionGuard = defineTokenGuard('substitution', checkSubstitution);
