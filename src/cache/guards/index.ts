// The guard stage: every guard, the default selection, and a checker that tokenises each prompt
// once and runs the selected guards cheapest first, stopping at the first rejection. After the word
// guards comes `support`, the one check that needs the similarity: below the confident similarity a
// candidate must keep the threshold once charged for the words the two prompts do not share.

import { DEFAULT_GUARD_MAX_WORDS } from '../../config.js';
import type { Guard } from './guard.js';
import { codeGuard } from './code.js';
import { directionGuard } from './direction.js';
import { entitiesGuard } from './entities.js';
import { languageGuard } from './language.js';
import { DEFAULT_SUPPORT, supportedSimilarity, unexplainedWords, wordsToCap, type SupportOptions } from './lexical-support.js';
import { numbersGuard } from './numbers.js';
import { polarityGuard } from './polarity.js';
import { processStateGuard } from './process-state.js';
import { rolesGuard } from './roles.js';
import { specifierGuard } from './specifier.js';
import { substitutionGuard } from './substitution.js';
import type { TokenGuard } from './token-guard.js';
import { tokenize, type TokenizedText } from './tokenize.js';
import { wordRanks } from './word-frequency.js';

/** Every guard, in the order a stage runs them: cheapest and most decisive first. */
export const ALL_GUARDS: readonly TokenGuard[] = Object.freeze([
  numbersGuard,
  polarityGuard,
  entitiesGuard,
  languageGuard,
  codeGuard,
  directionGuard,
  rolesGuard,
  substitutionGuard,
  processStateGuard,
  specifierGuard,
]);

/** The similarity-aware check that runs after the word guards (lexical-support.ts). */
export const SUPPORT_GUARD = 'support';

export const DEFAULT_GUARD_NAMES: readonly string[] = Object.freeze([...ALL_GUARDS.map((g) => g.name), SUPPORT_GUARD]);

export type GuardStageVerdict =
  { readonly pass: true; readonly supported?: number } | { readonly pass: false; readonly guard: string; readonly reason: string };

/** Where a candidate stands: its cosine to the query and the threshold it must reach. */
export interface HitScore {
  readonly similarity: number;
  readonly threshold: number;
}

export interface GuardAssessment {
  /** The word guards' verdict. */
  readonly verdict: GuardStageVerdict;
  /** The similarity after the support charge (the cosine itself when `support` is off). */
  readonly supported: number;
  /** Words of either prompt the other does not explain (empty when `support` is off). */
  readonly unexplained: readonly string[];
}

export interface GuardStage {
  /** Names of the guards this stage runs, in run order. */
  readonly names: readonly string[];
  /** Without a score only the word guards run (`support` needs the similarity). With one, a pass
   * carries the similarity after the support charge (`supported`). */
  check(query: string, candidate: string, score?: HitScore): GuardStageVerdict;
  /** Both parts of the decision apart, for calibration: a pair hits at threshold t when the
   * verdict passes and `supported` >= t. */
  assess(query: string, candidate: string, similarity: number): GuardAssessment;
  /** True when the stage would refuse any candidate for this prompt (too many words to check):
   * such a prompt is matched by the exact tier only, without being embedded. */
  tooLong(prompt: string): boolean;
}

const PASSED: GuardStageVerdict = Object.freeze({ pass: true });

function formatSimilarity(x: number): string {
  return x.toFixed(4);
}

/** Characters allowed per word of the limit (3,072 for 256 words): long words cost the spelling
 * checks in proportion (an adversarial prompt of 256 63-letter words takes 74 ms without this
 * bound). English averages under 7 characters a word with its space. */
export const CHARS_PER_WORD = 12;
/** Slack for floating-point rounding in the support charge. */
const ROUNDING = 1e-9;
/** The name a candidate rejected for its length is reported under. */
export const LENGTH_GUARD = 'length';

export interface GuardStageOptions {
  readonly support?: SupportOptions;
  /** Longest prompt, in words, the stage checks (and in characters, CHARS_PER_WORD times that); a
   * longer one on either side is rejected. */
  readonly maxWords?: number;
}

/** Builds a stage from guard names (config `SEMCACHE_GUARDS`); an empty list accepts everything. */
export function createGuardStage(names: readonly string[], options: GuardStageOptions = {}): GuardStage {
  const support = options.support ?? DEFAULT_SUPPORT;
  const maxWords = options.maxWords ?? DEFAULT_GUARD_MAX_WORDS;
  const maxChars = maxWords * CHARS_PER_WORD;
  const known = [...ALL_GUARDS.map((g) => g.name), SUPPORT_GUARD];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown guard name(s): ${unknown.join(', ')}; known guards: ${known.join(', ')}`);
  }
  const wanted = new Set(names);
  const guards = ALL_GUARDS.filter((g) => wanted.has(g.name));
  const supportOn = wanted.has(SUPPORT_GUARD);

  function wordGuards(q: TokenizedText, c: TokenizedText): GuardStageVerdict {
    const words = Math.max(q.tokens.length, c.tokens.length);
    if (words > maxWords) return { pass: false, guard: LENGTH_GUARD, reason: `a prompt has ${words} words; the guards check at most ${maxWords}` };
    const chars = Math.max(q.text.length, c.text.length);
    if (chars > maxChars) return { pass: false, guard: LENGTH_GUARD, reason: `a prompt has ${chars} characters; the guards check at most ${maxChars}` };
    for (const guard of guards) {
      const verdict = guard.checkTokens(q, c);
      if (!verdict.pass) return { pass: false, guard: guard.name, reason: verdict.reason };
    }
    return PASSED;
  }

  // The frequency list is read here, once, rather than on the first charged candidate.
  if (supportOn) wordRanks();
  // Enough unexplained words to know the whole charge: past them it is at its cap.
  const limit = wordsToCap(support);

  function charge(q: TokenizedText, c: TokenizedText, similarity: number) {
    // Above the confident similarity nothing is charged, so nothing needs counting.
    if (!supportOn || similarity >= support.confidentSimilarity) return { supported: similarity, unexplained: [] };
    const unexplained = unexplainedWords(q, c, limit);
    return { supported: supportedSimilarity(similarity, unexplained, support), unexplained };
  }

  return Object.freeze({
    names: [...guards.map((g) => g.name), ...(supportOn ? [SUPPORT_GUARD] : [])],
    check(query: string, candidate: string, score?: HitScore): GuardStageVerdict {
      if (guards.length === 0 && (!supportOn || score === undefined)) return PASSED;
      const q = tokenize(query);
      const c = tokenize(candidate);
      const verdict = wordGuards(q, c);
      if (!verdict.pass || score === undefined) return verdict;
      const { supported, unexplained } = charge(q, c, score.similarity);
      // 0.94 - 2 x 0.02 is 0.8999999999999999 in floating point: exactly at the threshold is a pass.
      if (supported >= score.threshold - ROUNDING) return { pass: true, supported };
      const count = `${unexplained.length >= limit ? 'at least ' : ''}${unexplained.length}`;
      const words = unexplained.map((w) => `"${w}"`).join(', ');
      return {
        pass: false,
        guard: SUPPORT_GUARD,
        reason: `${count} word(s) not shared (${words}): ${formatSimilarity(score.similarity)} - ${formatSimilarity(score.similarity - supported)} < ${score.threshold}`,
      };
    },
    assess(query: string, candidate: string, similarity: number): GuardAssessment {
      const q = tokenize(query);
      const c = tokenize(candidate);
      return { verdict: wordGuards(q, c), ...charge(q, c, similarity) };
    },
    tooLong(prompt: string): boolean {
      if (guards.length === 0 && !supportOn) return false;
      // A word takes at least a character, so a prompt this short has few enough words.
      if (prompt.length <= maxWords) return false;
      if (prompt.length > maxChars) return true;
      return tokenize(prompt).tokens.length > maxWords;
    },
  });
}

export type { Guard, SupportOptions };
export { DEFAULT_SUPPORT };
