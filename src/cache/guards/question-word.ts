// "Why was I charged a fee?" and "How much was the fee?" ask for different things about the same
// subject: a reason, an amount. Sentence encoders weigh the question word like any other word, so a
// shared topic keeps such pairs close. This guard reads what kind of answer each question asks for
// from its leading question word (why: a reason, how + verb: a method, how much/many: an amount,
// when: a time, where: a place, who: a person) and rejects the pair when both kinds are known and
// differ while the rest of the two prompts is mostly the same. "What" and "which" can ask for
// anything ("what makes the sky blue" is a why-question), so they never decide.

import { ENGLISH_STOPWORDS } from './stopwords.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

export type AnswerKind = 'reason' | 'method' | 'amount' | 'time' | 'place' | 'person';

// "how long" / "how often" ask for a duration or frequency: amounts of time.
const HOW_AMOUNT = new Set(['much', 'many', 'long', 'often', 'far', 'old', 'big', 'large', 'tall', 'high', 'soon']);
const SIMPLE: ReadonlyMap<string, AnswerKind> = new Map([
  ['why', 'reason'],
  ['when', 'time'],
  ['where', 'place'],
  ['who', 'person'],
  ['whom', 'person'],
]);
// Below this share of content words in common, the prompts differ in more than the question word
// and other guards (or the encoder) judge them.
const MIN_OVERLAP = 0.5;

/** The kind of the first question word of the prompt, looking only at its first sentence-start clause. */
export function answerKind(tokens: readonly Token[]): AnswerKind | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.lower;
    const simple = SIMPLE.get(t);
    if (simple) return simple;
    if (t === 'how') {
      const next = tokens[i + 1]?.lower ?? '';
      // "how come" asks why.
      if (next === 'come') return 'reason';
      return HOW_AMOUNT.has(next) ? 'amount' : 'method';
    }
    // "what" and "which" ask for anything: the first of them ends the search for a kind.
    if (t === 'what' || t === 'which') return undefined;
  }
  return undefined;
}

function contentStems(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) if (!ENGLISH_STOPWORDS.has(t.lower) && !HOW_AMOUNT.has(t.lower)) out.add(stem(t.lower));
  return out;
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

function checkQuestionWord(query: TokenizedText, candidate: TokenizedText) {
  const a = answerKind(query.tokens);
  const b = answerKind(candidate.tokens);
  if (a === undefined || b === undefined || a === b) return PASS;
  if (overlap(contentStems(query.tokens), contentStems(candidate.tokens)) < MIN_OVERLAP) return PASS;
  return reject(`asks for a ${a} vs a ${b}`);
}

export const questionWordGuard = defineTokenGuard('question', checkQuestionWord);
