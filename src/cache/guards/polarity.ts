// "How do I enable 2FA" and "How do I disable 2FA" score 0.95 with USE-lite: encoders average
// words, and one flipped word barely moves the mean. This guard rejects a pair when one side is
// negated and the other is not, or when one side uses a word and the other its opposite (from the
// general list in antonyms.ts, or the same word with a negating prefix: legal/illegal).

import { ANTONYM_PAIRS, FALSE_PREFIXED, NEGATING_PREFIXES } from './antonyms.js';
import { sameStatedOrder } from './converse-order.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

export const NEGATIONS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'without',
  'none',
  'nobody',
  'nothing',
  'neither',
  'nor',
  'cannot',
  'unable',
  'nowhere',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'wont',
  'shouldnt',
  'wouldnt',
  'couldnt',
  'havent',
  'hasnt',
  'hadnt',
  'aint',
]);
const PARTICLES = new Set(['on', 'off', 'in', 'out', 'up', 'down']);

export function isNegation(tokens: readonly Token[], i: number): boolean {
  const lower = tokens[i]!.lower;
  if (lower.endsWith("n't")) return true;
  if (!NEGATIONS.has(lower)) return false;
  // "no. of seats" / "train no. 22649" abbreviate "number"; "no one" is still a negation.
  if (lower === 'no' && (tokens[i + 1]?.lower === 'of' || /^\d/.test(tokens[i + 1]?.lower ?? ''))) return false;
  // "likes me or not", "why or why not": the other half of a yes/no question, not a negation.
  const prev = tokens[i - 1]?.lower;
  return !(lower === 'not' && (prev === 'or' || (prev === 'why' && tokens[i - 2]?.lower === 'or')));
}

/** Stems of every word plus "verb particle" phrases ("turn off", "log in"), stemmed on the verb. */
function features(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const s = stem(tokens[i]!.lower);
    out.add(s);
    const next = tokens[i + 1]?.lower;
    if (next !== undefined && PARTICLES.has(next)) out.add(`${s} ${next}`);
  }
  return out;
}

function stemFamily(words: readonly string[]): string[] {
  return words.map((w) =>
    w
      .split(' ')
      .map((part, i) => (i === 0 ? stem(part) : part))
      .join(' '),
  );
}

const STEMMED_PAIRS = ANTONYM_PAIRS.map(([x, y]) => [stemFamily(x), stemFamily(y), x[0], y[0]] as const);

function has(set: ReadonlySet<string>, family: readonly string[]): boolean {
  return family.some((w) => set.has(w));
}

// The pair a converse cancels: "A before B" / "B after A" (converse-order.ts).
const ORDER_PAIR = 'before/after';

function antonymClash(a: ReadonlySet<string>, b: ReadonlySet<string>, except?: string): string | undefined {
  for (const [x, y, nameX, nameY] of STEMMED_PAIRS) {
    if (except === `${nameX}/${nameY}`) continue;
    // Both sides must take opposite sides and neither may mention both ("pros and cons").
    const aX = has(a, x);
    const aY = has(a, y);
    const bX = has(b, x);
    const bY = has(b, y);
    if ((aX && !aY && bY && !bX) || (aY && !aX && bX && !bY)) return `${nameX}/${nameY}`;
  }
  return undefined;
}

function prefixClash(a: TokenizedText, b: TokenizedText): string | undefined {
  for (const [one, other] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const word of one.lowerSet) {
      // "unable" is counted as a negation already; counting it again would cancel itself out.
      if (FALSE_PREFIXED.has(word) || NEGATIONS.has(word) || other.lowerSet.has(word)) continue;
      for (const prefix of NEGATING_PREFIXES) {
        if (!word.startsWith(prefix)) continue;
        const base = word.slice(prefix.length);
        if (base.length >= 4 && other.lowerSet.has(base) && !one.lowerSet.has(base)) return `${base}/${word}`;
      }
    }
  }
  return undefined;
}

/** Content stems, without negation words, for "is the rest of the prompt the same" checks. */
function contentStems(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const lower = tokens[i]!.lower;
    if (!ENGLISH_STOPWORDS.has(lower) && !isNegation(tokens, i)) out.add(stem(lower));
  }
  return out;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/** `minOverlapForNegation`: content-word Jaccard above which a lone negation counts as a flip. 0.5 was
 * measured best on QQP (0.3 and 0 cost more true hits than false hits caught; 0.7 caught half as many). */
export function createPolarityGuard(minOverlapForNegation: number) {
  return defineTokenGuard('polarity', (query, candidate) => {
    const negA = query.tokens.some((_, i) => isNegation(query.tokens, i));
    const negB = candidate.tokens.some((_, i) => isNegation(candidate.tokens, i));
    const fa = features(query.tokens);
    const fb = features(candidate.tokens);
    let clash = antonymClash(fa, fb);
    // "learn A before B" / "learn B after A": the same order stated from its other end.
    if (clash === ORDER_PAIR && sameStatedOrder(query, candidate)) clash = antonymClash(fa, fb, ORDER_PAIR);
    const prefixed = prefixClash(query, candidate);
    // Flips cancel in pairs, as in speech: "won't accept" = "declines", "not correct" = "incorrect".
    // A listed pair and its prefixed form ("advantages"/"disadvantages") are one opposition, not two.
    const flips = (negA !== negB ? 1 : 0) + (clash || prefixed ? 1 : 0);
    if (flips % 2 === 0) return PASS;
    if (clash || prefixed) return reject(`opposite words: ${clash ?? prefixed}`);
    // A negation alone often restates the same problem ("didn't work" / "failed"); it flips the
    // answer when the rest of the two prompts is the same.
    if (jaccard(contentStems(query.tokens), contentStems(candidate.tokens)) < minOverlapForNegation) return PASS;
    return reject('one side is negated, the other is not');
  });
}

export const polarityGuard = createPolarityGuard(0.5);
