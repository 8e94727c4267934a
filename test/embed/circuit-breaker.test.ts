// The remote embedder's circuit breaker, on a fake clock (pure logic).
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type BreakerSnapshot } from '../../src/embed/remote/circuit-breaker.js';

function breaker(failures = 3, cooldownMs = 1_000) {
  let now = 0;
  const changes: BreakerSnapshot['state'][] = [];
  const b = createCircuitBreaker({ failures, cooldownMs, now: () => now, onChange: (s) => changes.push(s.state) });
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('opens after the configured failures in a row, not before, and a success resets the count', () => {
    const { b, changes } = breaker(3);
    b.failure(new Error('one'));
    b.failure(new Error('two'));
    b.success();
    b.failure(new Error('three'));
    b.failure(new Error('four'));
    expect(b.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    b.failure(new Error('five'));
    expect(b.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 3, lastError: 'five', openedAt: 0 });
    expect(b.blocked()).toBe(true);
    expect(changes).toEqual(['open']);
  });

  it('lets exactly one probe through after the cooldown, and closes when it succeeds', () => {
    const { b, changes, advance } = breaker(1, 1_000);
    b.failure(new Error('down'));
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.blocked()).toBe(false);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(b.blocked()).toBe(true);
    b.success();
    expect(b.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, openedAt: undefined, lastError: undefined });
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again for a whole cooldown when the probe fails', () => {
    const { b, advance } = breaker(3, 1_000);
    b.trip(new Error('not answering at start'));
    advance(1_000);
    expect(b.tryAcquire()).toBe(true);
    b.failure(new Error('still down'));
    expect(b.snapshot()).toMatchObject({ state: 'open', openedAt: 1_000, lastError: 'still down' });
    advance(999);
    expect(b.tryAcquire()).toBe(false);
  });
});
