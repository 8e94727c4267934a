import { describe, expect, it } from 'vitest';
import { processStateGuard, processStates } from '../../../src/cache/guards/process-state.js';
import { tokenize } from '../../../src/cache/guards/tokenize.js';

const passes = (a: string, b: string) => processStateGuard.check(a, b).pass;
const states = (text: string) => [...processStates(tokenize(text))].sort();

describe('process-state guard', () => {
  it.each([
    ['Why is my order still pending?', 'Why was my order cancelled?'],
    ['My refund request was rejected', 'My refund request is still processing'],
    ['The parcel was delivered but I was not home', 'The parcel was returned but I was not home'],
    ['My job is on hold, why?', 'My job has failed, why?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['Why was my application rejected?', 'Why was my application declined?'],
    ['Why was my order cancelled?', 'Why was my order canceled?'],
    // Only one side names a state: nothing to compare.
    ['Why is my order still pending?', 'Where is my order?'],
    // A verb asks for an action; it reports no state.
    ['How do I cancel my subscription?', 'My subscription renewal failed, how do I cancel it?'],
    // A prompt naming two states shares one with the other side.
    ['It was declined and now shows as pending', 'Why was it declined?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('reads "on hold" as waiting and ignores "hold" elsewhere', () => {
    expect(states('My payment is on hold')).toEqual(['waiting']);
    expect(states('Which currencies can I hold?')).toEqual([]);
  });

  it('drops a state word that a close negation negates', () => {
    expect(states("My transfer hasn't been completed")).toEqual([]);
    expect(states('My transfer was not refunded but it was reversed')).toEqual(['undone']);
  });
});
