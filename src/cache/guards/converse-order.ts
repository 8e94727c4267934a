// "before" and "after" are opposites, and the polarity guard refuses a pair that trades one for the
// other: "Should I eat before a workout?" / "... after a workout?" ask different things. But the
// converse, which trades the word and the order of its two sides, says the same thing: "learn
// Python before Rust" / "learn Rust after Python" / "learn Python first and Rust after". This reads
// the order of events each prompt states, from its one "before" or "after" and the two content
// words around it that both prompts have, and reports it; two prompts stating the same order are a
// rewording, not a flip.

import { ENGLISH_STOPWORDS } from './stopwords.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

const MARKERS = new Set(['before', 'after']);
// What joins "A first and B after" / "A first, then B after".
const JOINS = new Set(['and', 'then']);

const isContent = (t: Token): boolean => !ENGLISH_STOPWORDS.has(t.lower) && !MARKERS.has(t.lower) && /\p{L}/u.test(t.lower);

/** Stems of content words that occur exactly once in the text. */
function onceStems(tokens: readonly Token[]): Set<string> {
  const counts = new Map<string, number>();
  for (const t of tokens) if (isContent(t)) counts.set(stem(t.lower), (counts.get(stem(t.lower)) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n === 1).map(([s]) => s));
}

interface Events {
  /** Shared words of what happens first, and of what happens next. */
  readonly earlier: ReadonlySet<string>;
  readonly later: ReadonlySet<string>;
  /** The main clause's words (one of the two events; none for the adverb). */
  readonly main: ReadonlySet<string>;
}

/** The two events a text orders around its one marker, as the shared words of each. */
function statedOrder(tokens: readonly Token[], shared: ReadonlySet<string>): Events | undefined {
  const at = tokens.flatMap((t, i) => (MARKERS.has(t.lower) ? [i] : []));
  if (at.length !== 1) return undefined;
  const m = at[0]!;
  const before = tokens[m]!.lower === 'before';
  // The marker's sentence.
  let from = m;
  while (from > 0 && !tokens[from]!.sentenceStart) from--;
  let to = m + 1;
  while (to < tokens.length && !tokens[to]!.sentenceStart) to++;
  const keys = (lo: number, hi: number): Set<string> => {
    const out = new Set<string>();
    for (let i = lo; i < hi; i++) if (isContent(tokens[i]!) && shared.has(stem(tokens[i]!.lower))) out.add(stem(tokens[i]!.lower));
    return out;
  };
  // The marker's own phrase runs to the next clause mark ("Before X, Y ..." / "Y before X").
  let end = m + 1;
  while (end < to && !tokens[end]!.clauseStart) end++;
  const object = keys(m + 1, end);
  if (object.size > 0) {
    const main = tokens[m]!.sentenceStart ? keys(end, to) : keys(from, m);
    return before ? { earlier: main, later: object, main } : { earlier: object, later: main, main };
  }
  // Used as an adverb at the end ("Python first and Rust after"): what follows the last join or
  // clause mark before it happens later than what precedes that.
  if (before) return undefined;
  let join = m - 1;
  while (join > from && !JOINS.has(tokens[join]!.lower) && !tokens[join]!.clauseStart) join--;
  if (join <= from) return undefined;
  return { earlier: keys(from, join), later: keys(join, m), main: new Set() };
}

const overlap = (a: ReadonlySet<string>, b: ReadonlySet<string>, frame: ReadonlySet<string>): number => [...a].filter((x) => b.has(x) && !frame.has(x)).length;

/**
 * True when the two texts order the same two events the same way, one with "before" and the other
 * with "after". Words both main clauses hold are the frame, not an event: the subject and verb of
 * "Does the train stop in A before B?" / "... in B after A?", of "Ann served as mayor before
 * becoming governor" / "Ann became governor after serving as mayor". Of the other shared words,
 * each event must hold one on both sides, and those that agree must outnumber those that do not.
 */
export function sameStatedOrder(a: TokenizedText, b: TokenizedText): boolean {
  const onceA = onceStems(a.tokens);
  const onceB = onceStems(b.tokens);
  const shared = new Set([...onceA].filter((s) => onceB.has(s)));
  const x = statedOrder(a.tokens, shared);
  const y = statedOrder(b.tokens, shared);
  if (x === undefined || y === undefined) return false;
  const frame = new Set([...x.main].filter((k) => y.main.has(k)));
  const agree = [overlap(x.earlier, y.earlier, frame), overlap(x.later, y.later, frame)];
  const disagree = overlap(x.earlier, y.later, frame) + overlap(x.later, y.earlier, frame);
  return agree[0]! > 0 && agree[1]! > 0 && agree[0]! + agree[1]! > disagree;
}
