import { describe, expect, it } from 'vitest';
import { substitutionGuard } from '../../../src/cache/guards/substitution.js';

const passes = (a: string, b: string) => substitutionGuard.check(a, b).pass;

describe('substitution guard', () => {
  it.each([
    ['Why was I charged a fee for my withdrawal?', 'Why was I charged a fee for my transfer?'],
    ['How do I know when my card will arrive?', 'How do I know when my card will expire?'],
    ['What is the best tennis racket for beginners?', 'What is the best squash racket for beginners?'],
    ['How is strep throat diagnosed?', 'How is strep throat treated?'],
    ['How do I install Node.js on a Mac?', 'How do I update Node.js on a Mac?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['How can I reset my password?', 'How do I reset my password?'],
    ['What are the traits of a successful startup?', 'What are the traits of a succesful startup?'],
    ['Why is coffee so addictive?', 'Why is coffee so addicting?'],
    ["My passcode doesn't work", "My passcode won't work"],
    ['I want to close my account', 'I need to close my account'],
    ['How do I learn Python quickly?', 'How should I learn Python quickly?'],
    // A synonym of general English (synonyms.ts) is a rewording.
    ['Norvik Systems acquired Lumen Aviation in 1986.', 'Norvik Systems bought Lumen Aviation in 1986.'],
    ['Hannah moved from Graz to Cork in 1986.', 'Hannah relocated from Graz to Cork in 1986.'],
    ['What is the difference between speaking and singing?', 'What is the difference between talking and singing?'],
    // Two words differ: beyond a single swapped slot the guard leaves judgement to the encoder.
    ['What is the best way to learn Python?', 'Which is the easiest way to learn Python?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });
});
