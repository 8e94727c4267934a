import { describe, expect, it } from 'vitest';
import { DEFAULT_SUPPORT, supportedSimilarity, unexplainedWords } from '../../../src/cache/guards/lexical-support.js';
import { tokenize } from '../../../src/cache/guards/tokenize.js';

const unexplained = (a: string, b: string) => unexplainedWords(tokenize(a), tokenize(b));

describe('unexplainedWords', () => {
  it.each([
    // Function words, discourse words in any form, and the question's frame are not content.
    ['How can I reset my password?', 'How do I reset my password?'],
    ['I want to close my account', 'I would like to close my account please'],
    ['Why is the sky blue?', 'What makes the sky blue?'],
    ["What's the capital of France?", 'What is the capital of France?'],
    // Inflections and one-letter typos explain each other.
    ['How long do transfers take?', 'How long does a transfer take?'],
    ['Traits of a succesful startup', 'Traits of a successful startup'],
    ['How do I verify my identity', 'Verifying identity: how?'],
    // Negations and numbers are other guards' business.
    ["My card doesn't work", 'My card does not work'],
    ['Is 10 miles far?', 'Is 25 miles far?'],
  ])('finds none between "%s" and "%s"', (a, b) => {
    expect(unexplained(a, b)).toEqual([]);
  });

  it('lists the words one side adds', () => {
    expect(unexplained('How do I get my card?', 'How do I get my card to work?')).toEqual(['work']);
    expect(unexplained('How can I get a new card?', 'How can I activate the new card I got?')).toEqual(['activate']);
  });

  it('lists the words of both sides when a word is swapped, the query side first', () => {
    expect(unexplained('Why was I charged for a cash withdrawal?', 'Why was I charged for a card payment?')).toEqual([
      'cash',
      'withdrawal',
      'card',
      'payment',
    ]);
  });

  it('counts a word once however often it is repeated', () => {
    expect(unexplained('My card, my card, my card is broken', 'My card is broken')).toEqual([]);
    expect(unexplained('Top up top up top up', 'Top up')).toEqual([]);
  });
});

describe('supportedSimilarity', () => {
  it('charges the penalty per unexplained word below the confident similarity', () => {
    expect(supportedSimilarity(0.93, 2, { confidentSimilarity: 0.95, penaltyPerWord: 0.02 })).toBeCloseTo(0.89, 12);
    expect(supportedSimilarity(0.93, 0, { confidentSimilarity: 0.95, penaltyPerWord: 0.02 })).toBe(0.93);
  });

  it('charges nothing at or above the confident similarity', () => {
    expect(supportedSimilarity(0.95, 5, { confidentSimilarity: 0.95, penaltyPerWord: 0.02 })).toBe(0.95);
    expect(supportedSimilarity(0.99, 3, { confidentSimilarity: 0.95, penaltyPerWord: 0.02 })).toBe(0.99);
  });

  it('defaults to 0.02 per word below 0.95, so the default threshold is never charged', () => {
    expect(DEFAULT_SUPPORT).toEqual({ confidentSimilarity: 0.95, penaltyPerWord: 0.02 });
  });
});
