// A circuit breaker for the remote embedder: after `failures` failed calls in a row it opens, and texts
// fail at once instead of each waiting for a timeout (the cache then serves from its exact tier and the
// upstream). After `cooldownMs` one call is let through as a probe (half-open): its success closes the
// circuit, its failure opens it for another cooldown.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** When the circuit last opened (ms since the epoch), while it is not closed. */
  readonly openedAt: number | undefined;
  readonly lastError: string | undefined;
}

export interface CircuitBreaker {
  /** Whether no call may start now: open within its cooldown, or half-open with its probe out. */
  blocked(): boolean;
  /** Whether a call may start now; in half-open, true for the one probe only. */
  tryAcquire(): boolean;
  success(): void;
  failure(error: Error): void;
  /** Opens the circuit without a call, e.g. when the endpoint did not answer at start. */
  trip(error: Error): void;
  snapshot(): BreakerSnapshot;
}

export interface BreakerOptions {
  readonly failures: number;
  readonly cooldownMs: number;
  readonly now?: () => number;
  readonly onChange?: (snapshot: BreakerSnapshot) => void;
}

export function createCircuitBreaker(options: BreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: BreakerState = 'closed';
  let consecutiveFailures = 0;
  let openedAt: number | undefined;
  let lastError: string | undefined;
  let probeInFlight = false;

  const snapshot = (): BreakerSnapshot => ({ state, consecutiveFailures, openedAt, lastError });
  const open = (): void => {
    const changed = state !== 'open';
    state = 'open';
    openedAt = now();
    probeInFlight = false;
    if (changed) options.onChange?.(snapshot());
  };

  const cooledDown = (): void => {
    if (state === 'open' && now() - (openedAt ?? 0) >= options.cooldownMs) {
      state = 'half-open';
      options.onChange?.(snapshot());
    }
  };

  return {
    blocked() {
      cooledDown();
      return state === 'open' || (state === 'half-open' && probeInFlight);
    },
    tryAcquire() {
      if (state === 'closed') return true;
      cooledDown();
      if (state === 'half-open' && !probeInFlight) {
        probeInFlight = true;
        return true;
      }
      return false;
    },
    success() {
      consecutiveFailures = 0;
      probeInFlight = false;
      if (state === 'closed') return;
      state = 'closed';
      openedAt = undefined;
      lastError = undefined;
      options.onChange?.(snapshot());
    },
    failure(error) {
      consecutiveFailures += 1;
      lastError = error.message;
      if (state === 'half-open' || consecutiveFailures >= options.failures) open();
    },
    trip(error) {
      lastError = error.message;
      consecutiveFailures = Math.max(consecutiveFailures, options.failures);
      open();
    },
    snapshot,
  };
}
