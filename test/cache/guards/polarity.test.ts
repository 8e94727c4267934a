import { describe, expect, it } from 'vitest';
import { polarityGuard } from '../../../src/cache/guards/polarity.js';

const passes = (a: string, b: string) => polarityGuard.check(a, b).pass;

describe('polarity guard', () => {
  it.each([
    ['How do I enable 2FA on my account?', 'How do I disable 2FA on my account?'],
    ['How do I enable 2FA?', 'How do I turn off 2FA?'],
    ['How do I turn on dark mode?', 'How do I turn off dark mode?'],
    ['How can I increase my credit score?', 'How can I decrease my credit score?'],
    ['Should I eat before a workout?', 'Should I eat after a workout?'],
    ['Should I learn Python before Rust?', 'Should I learn Python after Rust?'],
    ['What is the maximum withdrawal amount?', 'What is the minimum withdrawal amount?'],
    ['What are the advantages of remote work?', 'What are the disadvantages of remote work?'],
    ['Is it legal to record a phone call?', 'Is it illegal to record a phone call?'],
    ['Is time travel possible?', 'Is time travel impossible?'],
    ['When is the best time to buy a house?', 'When is the best time to sell a house?'],
    ['How do I upload files to Google Drive?', 'How do I download files from Google Drive?'],
    ['How do I log in to Netflix?', 'How do I log out of Netflix?'],
    ['Why should I jailbreak my iPhone?', "Why shouldn't I jailbreak my iPhone?"],
    ['Is coffee safe during pregnancy?', 'Is coffee not safe during pregnancy?'],
    ['How do I install Docker on Ubuntu?', 'How do I uninstall Docker on Ubuntu?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['How can I reset my password?', 'How do I reset my password?'],
    ['What are the pros and cons of React?', 'What are the cons and pros of React?'],
    ['The exchange rate was not correct.', 'The exchange rate was incorrect.'],
    ["Why won't you accept my payment?", 'Why do you keep declining my payment?'],
    ["I'm not able to verify my identity.", "I'm unable to verify my identity."],
    ['How do I know if a girl likes me or not?', 'How do I know if a girl likes me?'],
    ['Is time a vector? Why or why not?', 'Is time a vector?'],
    ['What is the chart preparation time for train no. 22649?', 'What is the chart preparation time for train 22649?'],
    // A negation that restates the same problem in other words is not a flip.
    ["Something's wrong, my card won't work.", 'I think my card is broken.'],
    // The converse states the same order: "A before B" / "B after A" (converse-order.ts).
    ['Should I learn Python before Rust?', 'Should I learn Rust after Python?'],
    ['Should I learn Haskell before Kotlin?', 'Is it better to learn Haskell first and Kotlin after?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the opposite words in its reason', () => {
    expect(polarityGuard.check('How do I enable 2FA?', 'How do I disable 2FA?')).toEqual({
      pass: false,
      reason: 'opposite words: enable/disable',
    });
  });
});
