// "What is the capital of France?" and "... of Spain?" are near-identical vectors: one proper noun
// out of eight words. This guard rejects a pair when each side names something the other side never
// mentions: a capitalised word inside a sentence, an acronym, a word mixing letters and digits
// ("iPhone6", "H1B"), or a quoted string. Mentions are compared case-insensitively, so "france" in
// a lower-case prompt still matches "France", and loosely enough that "India"/"Indian",
// "Hilary"/"Hillary" (one typo) and "USA"/"U.S."/"United States" count as the same name.

import { isQuantityToken, unitOf } from './quantities.js';
import { oneEditApart, sameRoot } from './spelling.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

const LETTER_RE = /\p{L}/u;
const DIGIT_RE = /\p{N}/u;
const UPPER_START_RE = /^\p{Lu}/u;
const ACRONYM_RE = /^(?:\p{Lu}\.?){2,}$|^\p{Lu}[\p{Lu}\p{N}]+$/u;
const NON_ALNUM_RE = /[^\p{L}\p{N}]+/gu;
// Always capitalised in English without naming anything.
const NOT_NAMES = new Set(["i'm", "i've", "i'd", "i'll", 'ok', 'okay']);
// The few names English writes in several unrelated ways (compacted, lower-case).
const ALIASES: ReadonlyMap<string, string> = new Map([
  ...['us', 'usa', 'america', 'unitedstates', 'unitedstatesofamerica'].map((n) => [n, 'us'] as const),
  ...['uk', 'britain', 'greatbritain', 'unitedkingdom'].map((n) => [n, 'uk'] as const),
  ...['uae', 'emirates', 'unitedarabemirates'].map((n) => [n, 'uae'] as const),
  ...['eu', 'europeanunion'].map((n) => [n, 'eu'] as const),
]);

function compact(lower: string): string {
  return lower.replace(NON_ALNUM_RE, '');
}

/** Title Case or ALL CAPS prompts capitalise every word, so capitals say nothing there. */
function capitalsAreStyle(tokens: readonly Token[]): boolean {
  let words = 0;
  let capitalised = 0;
  for (const t of tokens) {
    if (t.sentenceStart || !LETTER_RE.test(t.raw[0] ?? '')) continue;
    words++;
    if (UPPER_START_RE.test(t.raw)) capitalised++;
  }
  return words >= 3 && capitalised / words > 0.5;
}

function entities(text: TokenizedText): string[] {
  const style = capitalsAreStyle(text.tokens);
  const out: string[] = [];
  for (const t of text.tokens) {
    if (t.lower === 'i' || NOT_NAMES.has(t.lower) || ENGLISH_STOPWORDS.has(t.lower)) continue;
    // Amounts and units ("25k", "INR", "Rs") belong to the numbers guard.
    if (isQuantityToken(t.lower) || unitOf(t.lower)) continue;
    const mixed = LETTER_RE.test(t.raw) && DIGIT_RE.test(t.raw);
    const acronym = !style && ACRONYM_RE.test(t.raw);
    const name = !style && !t.sentenceStart && UPPER_START_RE.test(t.raw);
    if (mixed || acronym || name) out.push(compact(t.lower));
  }
  for (const q of text.quoted) out.push(compact(q));
  return out.filter((e) => e.length > 0);
}

interface Mentions {
  /** Compacted words, their stems, and adjacent-word joins ("new york" -> "newyork"). */
  readonly words: ReadonlySet<string>;
  readonly compactText: string;
}

function mentions(text: TokenizedText): Mentions {
  const words = new Set<string>();
  const { tokens } = text;
  for (let i = 0; i < tokens.length; i++) {
    const c = compact(tokens[i]!.lower);
    words.add(c);
    words.add(stem(c));
    const next = tokens[i + 1];
    if (next) words.add(c + compact(next.lower));
  }
  for (const w of [...words]) {
    const alias = ALIASES.get(w);
    if (alias) words.add(alias);
  }
  return { words, compactText: compact(text.text.normalize('NFKC').toLowerCase()) };
}

function mentioned(entity: string, other: Mentions): boolean {
  if (other.words.has(entity) || other.words.has(stem(entity))) return true;
  const alias = ALIASES.get(entity);
  if (alias && other.words.has(alias)) return true;
  // Long names may be split or joined differently ("iPhone 6" / "iPhone6"); short ones would match
  // inside unrelated words ("us" in "business").
  if (entity.length >= 4 && other.compactText.includes(entity)) return true;
  for (const w of other.words) if (sameRoot(entity, w) || oneEditApart(entity, w)) return true;
  return false;
}

function checkEntities(query: TokenizedText, candidate: TokenizedText) {
  const mq = mentions(query);
  const mc = mentions(candidate);
  const onlyQuery = entities(query).find((e) => !mentioned(e, mc));
  if (onlyQuery === undefined) return PASS;
  const onlyCandidate = entities(candidate).find((e) => !mentioned(e, mq));
  if (onlyCandidate === undefined) return PASS;
  return reject(`names differ: "${onlyQuery}" vs "${onlyCandidate}"`);
}

export const entitiesGuard = defineTokenGuard('entities', checkEntities);
