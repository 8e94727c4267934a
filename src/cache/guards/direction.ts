// Sentence encoders hardly see word order, so "is A better than B" / "is B better than A", "from X
// to Y" / "from Y to X" and "A replaced B" / "B replaced A" get near-identical vectors. This guard
// rejects a pair when two content words shared by both prompts swap order around the same
// asymmetric word (than, to, from, into, over, replaced...). A passive verb ("B was replaced by A")
// reverses roles, so it cancels the swap. Symmetric joins ("A vs B", "A and B") are not markers,
// and a reordering around different markers ("to Y from X") keeps the roles, so both pass.

import { ENGLISH_STOPWORDS } from './stopwords.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import { stem, type Token, type TokenizedText } from './tokenize.js';

const PREPOSITION_MARKERS = new Set(['than', 'to', 'from', 'into', 'onto', 'over', 'toward', 'towards']);
// Verbs whose subject and object play different roles; matched on `stem`.
const VERB_MARKERS = new Set(
  ['replace', 'beat', 'defeat', 'prefer', 'kill', 'follow', 'precede', 'cause', 'affect', 'hire', 'invade', 'attack'].map(stem),
);
const BE_FORMS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'get', 'got', 'gets']);

interface Mark {
  readonly id: string;
  readonly pos: number;
  readonly passive: boolean;
}

interface Shape {
  /** Position of each content stem that occurs exactly once. */
  readonly once: ReadonlyMap<string, number>;
  readonly marks: readonly Mark[];
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
  return { once, marks };
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
      const between = marksBetween(b.marks, bx, by);
      for (const m of marksBetween(a.marks, ax, ay)) {
        const twin = between.find((n) => n.id === m.id);
        if (twin && twin.passive === m.passive) return `"${x}" and "${y}" swap around "${m.id}"`;
      }
    }
  }
  return undefined;
}

function checkDirection(query: TokenizedText, candidate: TokenizedText) {
  const swap = swapped(shape(query.tokens), shape(candidate.tokens));
  return swap ? reject(swap) : PASS;
}

export const directionGuard = defineTokenGuard('direction', checkDirection);
