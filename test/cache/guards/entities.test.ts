import { describe, expect, it } from 'vitest';
import { entitiesGuard } from '../../../src/cache/guards/entities.js';

const passes = (a: string, b: string) => entitiesGuard.check(a, b).pass;

describe('entities guard', () => {
  it.each([
    ['What is the capital of France?', 'What is the capital of Spain?'],
    ['How do I get a visa for Japan from India?', 'How do I get a visa for Korea from India?'],
    ['Is the iPhone6 waterproof?', 'Is the iPhone7 waterproof?'],
    ['How do I apply for an H1B visa?', 'How do I apply for an L1 visa?'],
    ['What does "carpe diem" mean?', 'What does "memento mori" mean?'],
    ['Where is the Maruti Suzuki showroom in Bhopal?', 'Where is the Maruti Suzuki showroom in Hyderabad?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['what is the capital of france', 'What is the capital of France?'],
    ['France is a country in Europe. What is its capital?', 'What is the capital of France?'],
    ['Why is Indian food spicy?', 'Why is food in India spicy?'],
    ['Why do people dislike Hilary Clinton?', 'Why do people dislike Hillary Clinton?'],
    ['What would happen if the USA became communist?', 'What would happen if the U.S. became communist?'],
    ['What Is The Best Way To Learn Python?', 'What is the best way to learn Python?'],
    ['Is the iPhone 6 waterproof?', 'Is the iPhone6 waterproof?'],
    ['Is it worth visiting The Bahamas?', 'Is it worth visiting the Bahamas?'],
    ['Which is the best laptop under 25000 INR?', 'Which is the best laptop under Rs 25000?'],
    // One side naming something the other leaves out is detail, not a different subject.
    ['What is the best way to learn Python?', 'What is the best way to learn Python in Mumbai?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the differing names in its reason', () => {
    expect(entitiesGuard.check('What is the capital of France?', 'What is the capital of Spain?')).toEqual({
      pass: false,
      reason: 'names differ: "france" vs "spain"',
    });
  });
});
