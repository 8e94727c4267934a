// Identical requests in flight wait for the first: unit tests of the single-flight map, with the
// races driven by hand (promises settled in a chosen order) rather than by sleeps.
import { describe, expect, it } from 'vitest';
import { createSingleFlight } from '../../src/pipeline/single-flight.js';

describe('single flight', () => {
  it('has nothing to wait for until a leader registers', () => {
    const flights = createSingleFlight<string>();
    expect(flights.waitFor('k')).toBeUndefined();
    expect(flights.inFlight).toBe(0);
  });

  it("gives every waiter the leader's result, and forgets the key once it is settled", async () => {
    const flights = createSingleFlight<string>();
    const settle = flights.lead('k');
    const first = flights.waitFor('k');
    const second = flights.waitFor('k');
    expect(flights.inFlight).toBe(1);
    settle('answer');
    await expect(first).resolves.toBe('answer');
    await expect(second).resolves.toBe('answer');
    expect(flights.waitFor('k')).toBeUndefined();
    expect(flights.inFlight).toBe(0);
  });

  it('releases waiters with undefined when the leader failed', async () => {
    const flights = createSingleFlight<string>();
    const settle = flights.lead('k');
    const waiting = flights.waitFor('k');
    settle(undefined);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('keeps only the first settlement of a leader', async () => {
    const flights = createSingleFlight<string>();
    const settle = flights.lead('k');
    const waiting = flights.waitFor('k');
    settle('first');
    settle('second');
    await expect(waiting).resolves.toBe('first');
  });

  it('keys apart: a leader of one key does not release waiters of another', async () => {
    const flights = createSingleFlight<string>();
    const settleA = flights.lead('a');
    const settleB = flights.lead('b');
    const order: string[] = [];
    const a = flights.waitFor('a')?.then((v) => order.push(`a:${v}`));
    const b = flights.waitFor('b')?.then((v) => order.push(`b:${v}`));
    settleB('2');
    await b;
    expect(order).toEqual(['b:2']);
    settleA('1');
    await a;
    expect(order).toEqual(['b:2', 'a:1']);
  });

  it('a newer leader of the same key is not unregistered when an older one settles late', async () => {
    // The race: leader 1 is still in flight when leader 2 takes the key (leader 1's entry was
    // replaced, e.g. after a no-cache request); leader 1 settling must not remove leader 2.
    const flights = createSingleFlight<string>();
    const settleOld = flights.lead('k');
    const settleNew = flights.lead('k');
    const waitingNew = flights.waitFor('k');
    settleOld('old');
    expect(flights.waitFor('k')).toBe(waitingNew);
    expect(flights.inFlight).toBe(1);
    settleNew('new');
    await expect(waitingNew).resolves.toBe('new');
    expect(flights.inFlight).toBe(0);
  });
});
