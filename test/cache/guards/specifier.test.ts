import { describe, expect, it } from 'vitest';
import { extraSpecifier, specifierGuard } from '../../../src/cache/guards/specifier.js';
import { tokenize } from '../../../src/cache/guards/tokenize.js';

const passes = (a: string, b: string) => specifierGuard.check(a, b).pass;

describe('specifier guard', () => {
  it.each([
    ['Which laptop is best for video editing?', 'Which laptop is best for video editing under $800?'],
    ['How do I learn to play the guitar?', 'How do I learn to play the guitar for kids?'],
    ['Where can I rent a car?', 'Where can I rent a car in Lisbon?'],
    ['Can I pay the rent with a credit card?', 'Can I pay the rent?'],
    ['What is a good salary for a nurse?', 'What is a good salary for a nurse after 5 years?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['How can I reset my password?', 'How do I reset my password?'],
    // The added phrase repeats words the other side has: a rewording, not a narrower question.
    ['How do I learn Python in the best way?', 'What is the best way to learn Python?'],
    ['Where can I rent a car in Lisbon?', 'Where in Lisbon can I rent a car?'],
    // Idioms and generic phrases qualify nothing.
    ['What do I need in order to open an account?', 'What do I need to open an account?'],
    ['Can I use the voucher for any purchase?', 'Can I use the voucher?'],
    ['How can I learn to draw by myself?', 'How can I learn to draw?'],
    // A sentence of narrative that shares nothing with the question is context, not a qualifier.
    ['How do I close my account? I am unhappy with the service.', 'How do I close my account?'],
    // Each side has words the other lacks: the question differs in other ways, judged elsewhere.
    ['Which laptop is best for gaming?', 'Which cheap laptop is good for students?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the added phrase by its preposition and content stems', () => {
    expect(extraSpecifier(tokenize('Where can I rent a car?'), tokenize('Where can I rent a car in Lisbon?'))).toBe('in lisbon');
  });

  it('explains the rejection with the added phrase', () => {
    expect(specifierGuard.check('How do I bake bread?', 'How do I bake bread without an oven?')).toEqual({
      pass: false,
      reason: 'one side adds a qualifier: "without oven"',
    });
  });
});
