// "Why is my payment still pending?" and "Why was my payment declined?" ask about the same thing in
// different states, and the encoder sees two near-synonymous status words in the same frame. A
// payment, order, transfer or request is in one state at a time: waiting, done, failed, or undone,
// and the right answer depends on which. This guard rejects a pair when both sides name a state and
// they share none. Only state forms count (participles and adjectives, not the verbs: "how do I
// cancel" asks for an action, it does not report a state), and a negated one ("hasn't cleared")
// names no state. Words within one state ("declined"/"rejected") pass: they are rewordings.

import { isNegation } from './polarity.js';
import { PASS, defineTokenGuard, reject } from './token-guard.js';
import type { Token, TokenizedText } from './tokenize.js';

const STATES: Readonly<Record<string, readonly string[]>> = {
  waiting: ['pending', 'processing', 'queued'],
  done: ['completed', 'cleared', 'succeeded', 'successful', 'delivered', 'arrived'],
  failed: ['failed', 'declined', 'rejected', 'denied', 'refused', 'bounced', 'unsuccessful'],
  undone: ['cancelled', 'canceled', 'reversed', 'reverted', 'refunded', 'returned'],
};

const STATE_OF: ReadonlyMap<string, string> = new Map(Object.entries(STATES).flatMap(([state, words]) => words.map((w) => [w, state] as const)));
// "is not pending", "has not been cleared": a negation this close negates the state word.
const NEGATION_REACH = 3;

function negated(tokens: readonly Token[], i: number): boolean {
  for (let j = Math.max(0, i - NEGATION_REACH); j < i; j++) if (isNegation(tokens, j)) return true;
  return false;
}

/** The states a prompt reports, e.g. `pending` -> {waiting}, `on hold` -> {waiting}. */
export function processStates(text: TokenizedText): Set<string> {
  const out = new Set<string>();
  const { tokens } = text;
  for (let i = 0; i < tokens.length; i++) {
    const lower = tokens[i]!.lower;
    const state = lower === 'hold' && tokens[i - 1]?.lower === 'on' ? 'waiting' : STATE_OF.get(lower);
    if (state !== undefined && !negated(tokens, i)) out.add(state);
  }
  return out;
}

export const processStateGuard = defineTokenGuard('state', (query, candidate) => {
  const a = processStates(query);
  const b = processStates(candidate);
  if (a.size === 0 || b.size === 0) return PASS;
  for (const s of a) if (b.has(s)) return PASS;
  return reject(`states differ: ${[...a].join('/')} vs ${[...b].join('/')}`);
});
