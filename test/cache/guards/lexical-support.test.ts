import { describe, expect, it } from 'vitest';
import { DEFAULT_SUPPORT, supportCharge, supportedSimilarity, unexplainedWords, wordsToCap } from '../../../src/cache/guards/lexical-support.js';
import { tokenize } from '../../../src/cache/guards/tokenize.js';

const unexplained = (a: string, b: string) => unexplainedWords(tokenize(a), tokenize(b));

describe('unexplainedWords', () => {
  it.each([
    // Function words, discourse words in any form, and the question's frame are not content.
    ['How can I reset my password?', 'How do I reset my password?'],
    ['I want to close my account', 'I would like to close my account please'],
    ['Why is the sky blue?', 'What makes the sky blue?'],
    ["What's the capital of France?", 'What is the capital of France?'],
    ['Is it safe while pregnant?', 'Is it safe during pregnancy?'],
    // Inflections and one-letter typos explain each other.
    ['How long do transfers take?', 'How long does a transfer take?'],
    ['Traits of a succesful startup', 'Traits of a successful startup'],
    ['How do I verify my identity', 'Verifying identity: how?'],
    // Irregular forms and derivations.
    ['Who taught him piano?', 'Who was his piano teacher?'],
    ['Norvik bought Calder', 'Norvik buys Calder'],
    ['How much water a day?', 'How much water daily?'],
    // Compounds split or joined, hyphen parts, clipped words, initials.
    ['How do I set up the router?', 'Router setup?'],
    ['Configure key-based login', 'Configure key based login'],
    ['Nausea during chemo', 'Nausea during chemotherapy'],
    ['Does coffee raise BP?', 'Does coffee raise blood pressure?'],
    ['Symptoms of a urinary tract infection', 'Symptoms of a UTI'],
    // Synonyms of general English, single words and phrases (synonyms.ts).
    ['What can I do to lower my cholesterol without medication?', 'How can I reduce my cholesterol without drugs?'],
    ['Is it normal to have back pain during pregnancy?', 'Is back pain common when you are pregnant?'],
    ['What medications help with high blood pressure?', 'Which medicines help with hypertension?'],
    ['How can I change my profile photo?', 'How do I change my profile picture?'],
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
    expect(unexplained('Why was I charged for a cash withdrawal?', 'Why was I charged for a card payment?')).toEqual(['cash', 'withdrawal', 'card', 'payment']);
  });

  it('keeps the past forms of the light verbs apart: "hasn\'t gone through" is pending, "didn\'t go through" failed', () => {
    expect(unexplained("My top up hasn't gone through", "My top up didn't go through")).toEqual(['gone']);
  });

  it('still charges what synonyms leave: the topic', () => {
    expect(unexplained('Is it safe to take ibuprofen during pregnancy?', 'Is it safe to take ibuprofen while breastfeeding?')).toEqual([
      'pregnancy',
      'breastfeeding',
    ]);
    expect(unexplained('How much water should an adult drink each day?', 'How much water should a child drink each day?')).toEqual(['adult', 'child']);
  });

  it('counts a word once however often it is repeated', () => {
    expect(unexplained('My card, my card, my card is broken', 'My card is broken')).toEqual([]);
    expect(unexplained('Top up top up top up', 'Top up')).toEqual([]);
  });

  it('stops at the limit', () => {
    expect(unexplainedWords(tokenize('alpha beta gamma delta'), tokenize('zeta'), 2)).toEqual(['alpha', 'beta']);
  });
});

describe('supportCharge', () => {
  const options = { confidentSimilarity: 0.95, penaltyPerWord: 0.04, commonWordWeight: 0.5, maxWords: 1 };

  it('charges a rare word the full penalty and a common one its weight', () => {
    expect(supportCharge(['lisinopril'], options)).toBeCloseTo(0.04, 12);
    expect(supportCharge(['work'], options)).toBeCloseTo(0.02, 12);
  });

  it('stops at maxWords words of charge', () => {
    expect(supportCharge(['work', 'time', 'lisinopril', 'amoxicillin'], options)).toBeCloseTo(0.04, 12);
    expect(supportCharge(['lisinopril', 'amoxicillin'], { ...options, maxWords: 3 })).toBeCloseTo(0.08, 12);
  });

  it('is the flat charge of one penalty per word with a common-word weight of 1 and no cap', () => {
    expect(supportCharge(['work', 'time', 'lisinopril'], { ...options, commonWordWeight: 1, maxWords: 100 })).toBeCloseTo(0.12, 12);
  });

  it('needs to count only enough words to reach the cap', () => {
    expect(wordsToCap(options)).toBe(3);
    expect(wordsToCap({ ...options, maxWords: 3, commonWordWeight: 1 })).toBe(4);
  });
});

describe('supportedSimilarity', () => {
  it('charges the unexplained words below the confident similarity', () => {
    expect(supportedSimilarity(0.93, ['lisinopril'], DEFAULT_SUPPORT)).toBeCloseTo(0.89, 12);
    expect(supportedSimilarity(0.93, [], DEFAULT_SUPPORT)).toBe(0.93);
  });

  it('charges nothing at or above the confident similarity', () => {
    expect(supportedSimilarity(0.95, ['lisinopril'], DEFAULT_SUPPORT)).toBe(0.95);
    expect(supportedSimilarity(0.99, ['a', 'b', 'c'], DEFAULT_SUPPORT)).toBe(0.99);
  });

  it('defaults to at most 0.04 below 0.95, half for a common word, so the default threshold is never charged', () => {
    expect(DEFAULT_SUPPORT).toEqual({ confidentSimilarity: 0.95, penaltyPerWord: 0.04, commonWordWeight: 0.5, maxWords: 1 });
  });
});
