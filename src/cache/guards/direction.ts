// Sentence encoders hardly see word order, so "is A better than B" / "is B better than A", "from X
// to Y" / "from Y to X" and "A replaced B" / "B replaced A" get near-identical vectors. This guard
// rejects a pair when two content words shared by both prompts swap order around the same
// asymmetric word (than, to, from, into, over, replaced...). A passive verb ("B was replaced by A")
// reverses roles, so it cancels the swap. Symmetric joins ("A vs B", "A and B") are not markers,
// and a reordering around different markers ("to Y from X") keeps the roles, so both pass.
// Beyond the listed markers, any exact mirror "X middle Y" / "Y middle X" with the same short,
// non-symmetric middle is a swap ("Messi admires Ronaldo" / "Ronaldo admires Messi"), so verbs not
// in the list are caught too. Only words within a few tokens of each other count: measured on the
// stream data, swaps across clauses of long prompts were rewordings (16 of 21 rejections at 0.85).

import { ENGLISH_STOPWORDS } from './stopwords.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

// "Exchange X for Y", "trade X for Y": `for` names what is given in return, a direction too.
const PREPOSITION_MARKERS = new Set(['than', 'to', 'from', 'into', 'onto', 'over', 'toward', 'towards', 'for']);
// Verbs whose subject and object play different roles; matched on `stem`.
const VERB_MARKERS = new Set(['replace', 'beat', 'defeat', 'prefer', 'kill', 'follow', 'precede', 'cause', 'affect', 'hire', 'invade', 'attack'].map(stem));
const BE_FORMS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'get', 'got', 'gets']);
// Joins that read the same both ways round: "A and B" = "B and A". ("with" is here because "compare
// A with B" is symmetric, though "replace A with B" is not: a missed swap costs less than a rejected
// rewording.)
const SYMMETRIC = new Set(['and', 'or', 'nor', 'vs', 'versus', 'v', 'with', 'plus', 'times', 'between', 'like', 'as']);
// Longest middle of a mirrored "X middle Y" / "Y middle X"; longer stretches are other sentences.
const MAX_MIDDLE = 4;
// Farthest apart (in tokens) two swapped words may be: "flights from New York City to Los Angeles".
const MAX_SPAN = 6;

interface Mark {
  readonly id: string;
  readonly pos: number;
  readonly passive: boolean;
}

interface Shape {
  /** Position of each content stem that occurs exactly once. */
  readonly once: ReadonlyMap<string, number>;
  readonly marks: readonly Mark[];
  readonly stems: readonly string[];
  readonly words: readonly string[];
}

function shape(tokens: readonly Token[]): Shape {
  const counts = new Map<string, number>();
  const positions = new Map<string, number>();
  const marks: Mark[] = [];
  tokens.forEach((t, pos) => {
    const s = stem(t.lower);
    if (PREPOSITION_MARKERS.has(t.lower)) marks.push({ id: t.lower, pos, passive: false });
    else if (VERB_MARKERS.has(s)) {
      const passive = tokens[pos + 1]?.lower === 'by' || BE_FORMS.has(tokens[pos - 1]?.lower ?? '');
      marks.push({ id: s, pos, passive });
    } else if (!ENGLISH_STOPWORDS.has(t.lower)) {
      counts.set(s, (counts.get(s) ?? 0) + 1);
      positions.set(s, pos);
    }
  });
  const once = new Map<string, number>();
  for (const [s, n] of counts) if (n === 1) once.set(s, positions.get(s) ?? 0);
  return { once, marks, stems: tokens.map((t) => stem(t.lower)), words: tokens.map((t) => t.lower) };
}

/**
 * Any asymmetric word, not only the listed markers: "X middle Y" in one prompt and "Y middle X" in
 * the other, with the same short middle ("Messi admires Ronaldo" / "Ronaldo admires Messi"). A
 * middle made only of symmetric joins ("and", "vs") reads the same both ways round.
 */
function mirrored(a: Shape, b: Shape, ax: number, ay: number, bx: number, by: number): string | undefined {
  const [aLo, aHi] = ax < ay ? [ax, ay] : [ay, ax];
  const [bLo, bHi] = bx < by ? [bx, by] : [by, bx];
  const middle = a.stems.slice(aLo + 1, aHi);
  if (middle.length === 0 || middle.length > MAX_MIDDLE || middle.length !== bHi - bLo - 1) return undefined;
  for (let i = 0; i < middle.length; i++) if (middle[i] !== b.stems[bLo + 1 + i]) return undefined;
  const words = a.words.slice(aLo + 1, aHi);
  if (words.some((w) => SYMMETRIC.has(w))) return undefined;
  // A middle of function words only is grammar, not a role: "how important is money" / "why money
  // is important" is the same question inverted.
  if (words.every((w) => ENGLISH_STOPWORDS.has(w))) return undefined;
  return words.join(' ');
}

function marksBetween(marks: readonly Mark[], from: number, to: number): Mark[] {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  return marks.filter((m) => m.pos > lo && m.pos < hi);
}

function swapped(a: Shape, b: Shape): string | undefined {
  const shared = [...a.once.keys()].filter((s) => b.once.has(s));
  for (let i = 0; i < shared.length; i++) {
    for (let j = i + 1; j < shared.length; j++) {
      const x = shared[i]!;
      const y = shared[j]!;
      const ax = a.once.get(x)!;
      const ay = a.once.get(y)!;
      const bx = b.once.get(x)!;
      const by = b.once.get(y)!;
      if (ax < ay === bx < by) continue;
      // Roles are swapped within a clause; two words far apart in a long prompt are in different
      // clauses, and their order says nothing about who does what to whom.
      if (Math.abs(ax - ay) > MAX_SPAN || Math.abs(bx - by) > MAX_SPAN) continue;
      const between = marksBetween(b.marks, bx, by);
      for (const m of marksBetween(a.marks, ax, ay)) {
        const twin = between.find((n) => n.id === m.id);
        if (twin && twin.passive === m.passive) return `"${x}" and "${y}" swap around "${m.id}"`;
      }
      const middle = mirrored(a, b, ax, ay, bx, by);
      if (middle !== undefined) return `"${x}" and "${y}" swap around "${middle}"`;
    }
  }
  return undefined;
}

function checkDirection(query: TokenizedText, candidate: TokenizedText) {
  const swap = swapped(shape(query.tokens), shape(candidate.tokens));
  return swap ? reject(swap) : PASS;
}

export const directionGuard = defineTokenGuard('direction', checkDirection);
