import { describe, expect, it } from 'vitest';
import { numbersGuard } from '../../../src/cache/guards/numbers.js';

const passes = (a: string, b: string) => numbersGuard.check(a, b).pass;

describe('numbers guard', () => {
  it.each([
    ['Which cities are within 10 miles of Boston?', 'Which cities are within 25 miles of Boston?'],
    ['How far is 10 miles?', 'How far is 10 km?'],
    ['What is the distance from London to Paris in miles?', 'What is the distance from London to Paris in kilometres?'],
    ['Who finished 2nd in the race?', 'Who finished 3rd in the race?'],
    ['I have two cats, what food should I buy?', 'I have three cats, what food should I buy?'],
    ['Who won the World Cup in 2014?', 'Who won the World Cup in 2018?'],
    ['How do I install packages in python 2?', 'How do I install packages in python 3?'],
    ['Is $50 a good tip?', 'Is $500 a good tip?'],
    ['Is a 5% raise good?', 'Is a 15% raise good?'],
    ['How do I convert dollars to euros?', 'How do I convert dollars to rupees?'],
    ['What happens after 2 weeks of fasting?', 'What happens after 2 months of fasting?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['What are 10 things to do in Rome?', 'What are ten things to do in Rome?'],
    ['Is 1,000 dollars enough for a week?', 'Is 1000 dollars enough for a week?'],
    ['Is 1k enough?', 'Is 1000 enough?'],
    ['Where did the twenty-one pilots name come from?', 'Where did the 21 pilots name come from?'],
    ['Is 10 percent a good return?', 'Is 10% a good return?'],
    ['Which one is better for beginners?', 'Which is better for beginners?'],
    ['What are the best movies of 2016?', 'What are the 10 best movies of 2016?'],
    ['How do I reset my password?', 'How can I reset my password?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the differing quantity in its reason', () => {
    expect(numbersGuard.check('10 miles to go', '25 miles to go')).toEqual({
      pass: false,
      reason: 'quantity differs: 10 mile vs 25 mile',
    });
  });
});
