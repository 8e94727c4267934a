// Decides, per request, whether an injected fault fires. Rates of exactly 0 or 1 never roll the
// dice, so forcing a fault with a header does not shift the seeded sequence of the other requests.

import type { Prng } from './prng.js';
import type { FaultKnobs } from './fault-header.js';

export type FaultOutcome = 'reset' | 'error' | 'none';

function fires(rate: number, next: Prng): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return next() < rate;
}

/** A reset is checked first: a connection that is torn down cannot also answer an error. */
export function rollFault(knobs: Pick<FaultKnobs, 'resetRate' | 'errorRate'>, next: Prng): FaultOutcome {
  if (fires(knobs.resetRate, next)) return 'reset';
  if (fires(knobs.errorRate, next)) return 'error';
  return 'none';
}

/** OpenAI's error type (and code) for a status, so SDK clients map injected errors as they would real ones. */
export function errorKindForStatus(status: number): { type: string; code: string } {
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: 'sim_injected_error' };
  return { type: 'invalid_request_error', code: 'sim_injected_error' };
}
