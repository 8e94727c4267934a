// Sentence encoders hardly see word order, so two prompts made of the same words with two names or
// nouns in each other's places ("A replaced B" / "B replaced A"; "represented Turkey at the 2010
// World Cup in New Zealand" / "represented New Zealand ... in Turkey"; "X's son Y" / "Y's son X")
// score 0.97-1.00. The `direction` guard catches such swaps around listed marker words within a
// few words; this one catches them around any words, at any distance within a sentence.
//
// The test is an exchange: two words that each prompt has once, whose order differs, and where
// each took the other's place, i.e. the word before (or after) x in one prompt is the word before
// (or after) y in the other and the reverse, and the stretch between them is the same in both. A
// phrase that moves as a whole ("In 2010, he ..." / "He ... in 2010"; the passive "B was replaced
// by A") keeps its own neighbours, so rewordings that move phrases pass. So does an exchange
// across a symmetric join ("A and B", "A or B", "A vs B", "A with B", a list "A, B and C" whose
// items are reordered whole) or across a copula ("how important is money" / "why money is
// important"). A second test catches the voice flipped in place: "A replaced B" / "A was replaced
// by B". Measured on the generated role-swap set and on the dev files: bench/RESULTS.md.

import { ENGLISH_STOPWORDS } from './stopwords.js';
import { sameRoot } from './spelling.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

const CLAUSE = ',';
// Joins that read the same both ways round ("A and B" = "B and A"). "with" is here because
// "compare A with B" is symmetric, though "replace A with B" is not: a missed swap costs less than
// a refused rewording. "vs" is a choice, documented in the README: "Python vs Java" asks the same
// comparison as "Java vs Python".
const SYMMETRIC = new Set([CLAUSE, 'and', 'or', 'nor', 'vs', 'versus', 'v', '&', 'plus', 'with', 'both', 'either', 'neither']);
// Joins between the items of a list.
const LIST_JOINS = new Set([CLAUSE, 'and', 'or', 'nor', '&']);
// Grammar that reorders without changing roles: the copula and auxiliaries of an inverted question,
// articles and possessive determiners.
const GRAMMAR = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'am',
  'do',
  'does',
  'did',
  'has',
  'have',
  'had',
  'will',
  'would',
  'can',
  'could',
  'should',
  'shall',
  'may',
  'might',
  'must',
  'this',
  'that',
  'these',
  'those',
  'my',
  'your',
  'his',
  'her',
  'its',
  'our',
  'their',
]);
// Words that give the two sides of a phrase different roles; a list item holding one is not plain.
const RELATIONS = new Set([
  'of',
  'to',
  'from',
  'into',
  'onto',
  'in',
  'on',
  'at',
  'by',
  'for',
  'than',
  'over',
  'under',
  'toward',
  'towards',
  'after',
  'before',
  'against',
]);
const BE_FORMS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'get', 'got', 'gets', 'getting']);
// A list item between two exchanged words: at most this many words ("A, New South Wales and B").
const MAX_ITEM = 4;
// How far before a passive participle its auxiliary may stand: "was Federer at last beaten by".
const MAX_BE_DISTANCE = 4;
// Farthest apart two exchanged words may stand, in words: a long sentence's roles ("represented
// Turkey at the 2010 World Cup in New Zealand" spans 9). Past it, prompts are documents, and
// checking every pair of their words would be cubic in their length.
const MAX_SPAN = 40;

interface Shape {
  /** Stems, with CLAUSE units where punctuation separates clauses or list items. */
  readonly keys: readonly string[];
  /** The words as written (lower-cased), for reasons. */
  readonly words: readonly string[];
  readonly content: readonly boolean[];
  readonly sentence: readonly number[];
  /** Position of each content stem that occurs exactly once. */
  readonly once: ReadonlyMap<string, number>;
  /** Positions of passive participles: a content word followed by "by", with a form of "be" or
   * "get" shortly before ("was replaced by", "was Federer beaten by"). */
  readonly passives: readonly number[];
}

const ACRONYM_RE = /^\p{Lu}{2,}$/u;

/** Words that can fill a role: not function words, except an acronym spelt like one ("US", "IT"). */
function isContent(t: Token): boolean {
  if (ENGLISH_STOPWORDS.has(t.lower) && !ACRONYM_RE.test(t.raw)) return false;
  return !t.lower.endsWith("n't") && /[\p{L}\p{N}]/u.test(t.lower);
}

function shape(tokens: readonly Token[]): Shape {
  const keys: string[] = [];
  const words: string[] = [];
  const content: boolean[] = [];
  const sentence: number[] = [];
  let n = 0;
  for (const t of tokens) {
    if (t.sentenceStart && keys.length > 0) n++;
    else if (t.clauseStart) {
      keys.push(CLAUSE);
      words.push(CLAUSE);
      content.push(false);
      sentence.push(n);
    }
    const c = isContent(t);
    keys.push(c ? stem(t.lower) : t.lower);
    words.push(t.lower);
    content.push(c);
    sentence.push(n);
  }
  const counts = new Map<string, number>();
  keys.forEach((k, i) => {
    if (content[i]) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  const once = new Map<string, number>();
  keys.forEach((k, i) => {
    if (content[i] && counts.get(k) === 1) once.set(k, i);
  });
  const passives: number[] = [];
  for (let i = 1; i + 1 < keys.length; i++) {
    if (keys[i + 1] !== 'by' || !content[i]) continue;
    for (let k = i - 1; k >= Math.max(0, i - 1 - MAX_BE_DISTANCE) && sentence[k] === sentence[i]; k--) {
      if (BE_FORMS.has(keys[k]!)) {
        passives.push(i);
        break;
      }
    }
  }
  return { keys, words, content, sentence, once, passives };
}

/** The phrase around `i` in `a` and `j` in `b`: the run that reads the same in both, as far as
 * it goes without reaching `a`'s bounds `lo`/`hi` (the other word's phrase). [start, end] in `a`. */
function phrase(a: Shape, i: number, b: Shape, j: number, lo: number, hi: number): [number, number, number, number] {
  let left = 0;
  while (i - left - 1 > lo && j - left - 1 >= 0 && a.keys[i - left - 1] === b.keys[j - left - 1]) left++;
  let right = 0;
  while (i + right + 1 < hi && j + right + 1 < b.keys.length && a.keys[i + right + 1] === b.keys[j + right + 1]) right++;
  return [i - left, i + right, j - left, j + right];
}

function sameUnits(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** A coordination: "A, B and C" / "C, B and A": the middle starts and ends with a join, and the
 * items between joins are short and hold no relation word. */
function isList(middle: readonly string[]): boolean {
  if (!LIST_JOINS.has(middle[0]!) || !LIST_JOINS.has(middle[middle.length - 1]!)) return false;
  let item = 0;
  for (const k of middle) {
    if (LIST_JOINS.has(k)) item = 0;
    else if (RELATIONS.has(k) || ++item > MAX_ITEM) return false;
  }
  return true;
}

/** True when the words between two exchanged words give them different roles. */
function isRole(middle: readonly string[]): boolean {
  if (middle.length === 0) return false;
  if (middle.every((k) => SYMMETRIC.has(k) || GRAMMAR.has(k))) return false;
  return !isList(middle);
}

/**
 * The stretch of `a` between x's phrase and y's, when `b` holds y's phrase, that same stretch and
 * x's phrase in this order: the two phrases traded places around it. A phrase is the run around a
 * word that reads the same in both prompts ("the Northern Railway Company", "on Bath Road"); a
 * phrase that moved without trading places ("In 2010, ..." / "... in 2010") leaves no such stretch.
 */
function exchangeMiddle(a: Shape, b: Shape, ax: number, ay: number, bx: number, by: number): [number, number] | undefined {
  const [, xEndA, xStartB] = phrase(a, ax, b, bx, -1, ay);
  const [yStartA, , , yEndB] = phrase(a, ay, b, by, xEndA, a.keys.length);
  if (yEndB >= xStartB || yStartA <= xEndA + 1) return undefined;
  return sameUnits(b.keys.slice(yEndB + 1, xStartB), a.keys.slice(xEndA + 1, yStartA)) ? [xEndA + 1, yStartA] : undefined;
}

/** Where the verb of a passive stands between `lo` and `hi` (its "by" too); -1 when there is none. */
function passiveVerb(s: Shape, lo: number, hi: number): number {
  for (const p of s.passives) if (p > lo && p + 1 < hi) return p;
  return -1;
}

const onlyGrammar = (s: Shape, from: number, to: number): boolean => s.keys.slice(from, to).every((k) => GRAMMAR.has(k));

/**
 * "A replaced B" / "A was replaced by B": the same order and the same verb, passive on one side
 * with y as its agent ("by B"), active on the other with y as its object.
 */
function voiceFlip(a: Shape, b: Shape, ax: number, ay: number, bx: number, by: number): string | undefined {
  for (const [p, q, px, py, qx, qy] of [
    [a, b, ax, ay, bx, by],
    [b, a, bx, by, ax, ay],
  ] as const) {
    const at = passiveVerb(p, px, py);
    if (at < 0 || !onlyGrammar(p, at + 2, py)) continue;
    const v = p.keys[at]!;
    for (let j = qy - 1; j > qx; j--) {
      if (q.content[j] && (q.keys[j] === v || sameRoot(q.keys[j]!, v))) {
        if (q.keys[j + 1] !== 'by' && onlyGrammar(q, j + 1, qy)) return p.words[at];
        break;
      }
    }
  }
  return undefined;
}

function exchanged(a: Shape, b: Shape): string | undefined {
  const shared = [...a.once.keys()].filter((k) => b.once.has(k));
  for (let i = 0; i < shared.length; i++) {
    for (let j = i + 1; j < shared.length; j++) {
      let x = shared[i]!;
      let y = shared[j]!;
      let ax = a.once.get(x)!;
      let ay = a.once.get(y)!;
      if (ax > ay) [x, y, ax, ay] = [y, x, ay, ax];
      const bx = b.once.get(x)!;
      const by = b.once.get(y)!;
      // Roles are given within a sentence.
      if (a.sentence[ax] !== a.sentence[ay] || b.sentence[bx] !== b.sentence[by]) continue;
      if (ay - ax > MAX_SPAN || Math.abs(bx - by) > MAX_SPAN) continue;
      if (bx < by) {
        const v = voiceFlip(a, b, ax, ay, bx, by);
        if (v !== undefined) return `"${a.words[ax]}" and "${a.words[ay]}" keep their places but "${v}" changes voice`;
        continue;
      }
      // A passive on one side only reverses the roles back: "A replaced B" / "B was replaced by A".
      if (passiveVerb(a, ax, ay) < 0 !== passiveVerb(b, by, bx) < 0) continue;
      const middle = exchangeMiddle(a, b, ax, ay, bx, by);
      if (middle !== undefined && isRole(a.keys.slice(...middle))) {
        return `"${a.words[ax]}" and "${a.words[ay]}" exchange places around "${a.words.slice(...middle).join(' ')}"`;
      }
    }
  }
  return undefined;
}

function checkRoles(query: TokenizedText, candidate: TokenizedText) {
  const swap = exchanged(shape(query.tokens), shape(candidate.tokens));
  return swap ? reject(swap) : PASS;
}

export const rolesGuard = defineTokenGuard('roles', checkRoles);
