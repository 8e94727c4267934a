// The guard stage: every guard, the default selection, and a checker that tokenises each prompt
// once and runs the selected guards cheapest first, stopping at the first rejection.

import type { Guard } from './guard.js';
import { directionGuard } from './direction.js';
import { entitiesGuard } from './entities.js';
import { languageGuard } from './language.js';
import { numbersGuard } from './numbers.js';
import { polarityGuard } from './polarity.js';
import { processStateGuard } from './process-state.js';
import { specifierGuard } from './specifier.js';
import { substitutionGuard } from './substitution.js';
import type { TokenGuard } from './token-guard.js';
import { tokenize } from './tokenize.js';

/** Every guard, in the order a stage runs them: cheapest and most decisive first. */
export const ALL_GUARDS: readonly TokenGuard[] = Object.freeze([
  numbersGuard,
  polarityGuard,
  entitiesGuard,
  languageGuard,
  directionGuard,
  substitutionGuard,
  processStateGuard,
  specifierGuard,
]);

export const DEFAULT_GUARD_NAMES: readonly string[] = Object.freeze(ALL_GUARDS.map((g) => g.name));

export type GuardStageVerdict =
  | { readonly pass: true }
  | { readonly pass: false; readonly guard: string; readonly reason: string };

export interface GuardStage {
  /** Names of the guards this stage runs, in run order. */
  readonly names: readonly string[];
  check(query: string, candidate: string): GuardStageVerdict;
}

const PASSED: GuardStageVerdict = Object.freeze({ pass: true });

/** Builds a stage from guard names (config `SEMCACHE_GUARDS`); an empty list accepts everything. */
export function createGuardStage(names: readonly string[]): GuardStage {
  const known = new Map(ALL_GUARDS.map((g) => [g.name, g]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown guard name(s): ${unknown.join(', ')}; known guards: ${[...known.keys()].join(', ')}`,
    );
  }
  const wanted = new Set(names);
  const guards = ALL_GUARDS.filter((g) => wanted.has(g.name));
  return Object.freeze({
    names: guards.map((g) => g.name),
    check(query: string, candidate: string): GuardStageVerdict {
      if (guards.length === 0) return PASSED;
      const q = tokenize(query);
      const c = tokenize(candidate);
      for (const guard of guards) {
        const verdict = guard.checkTokens(q, c);
        if (!verdict.pass) return { pass: false, guard: guard.name, reason: verdict.reason };
      }
      return PASSED;
    },
  });
}

export type { Guard };
