import { describe, expect, it } from 'vitest';
import { directionGuard } from '../../../src/cache/guards/direction.js';

const passes = (a: string, b: string) => directionGuard.check(a, b).pass;

describe('direction guard', () => {
  it.each([
    ['Is Python better than Java?', 'Is Java better than Python?'],
    ['How much are flights from London to Paris?', 'How much are flights from Paris to London?'],
    ['Why Obamacare replaced Medicaid?', 'Why Medicaid replaced Obamacare?'],
    ['How do I convert PDF to Word?', 'How do I convert Word to PDF?'],
    ['How do I translate English into Hindi?', 'How do I translate Hindi into English?'],
    ['Did Federer beat Nadal at Wimbledon?', 'Did Nadal beat Federer at Wimbledon?'],
    // Verbs outside the marker list, caught by the mirror rule.
    ['Why does Messi admire Ronaldo?', 'Why does Ronaldo admire Messi?'],
    ['Can Windows emulate Linux?', 'Can Linux emulate Windows?'],
    ['How do I exchange dollars for euros?', 'How do I exchange euros for dollars?'],
    ['Did Google acquire Motorola?', 'Did Motorola acquire Google?'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['How can I reset my password?', 'How do I reset my password?'],
    ['Python vs Java: which is faster?', 'Java vs Python: which is faster?'],
    ['What is the difference between a virus and a bacterium?', 'What is the difference between a bacterium and a virus?'],
    ['How much are flights from London to Paris?', 'How much are flights to Paris from London?'],
    ['Did Federer beat Nadal at Wimbledon?', 'Was Nadal beaten by Federer at Wimbledon?'],
    ['In Python, how do I convert a string to an int?', 'How do I convert a string to an int in Python?'],
    // Symmetric middles read the same both ways round.
    ['Is coffee or tea healthier?', 'Is tea or coffee healthier?'],
    ['How do I compare Excel with Numbers?', 'How do I compare Numbers with Excel?'],
    // Question inversion around a copula keeps the roles.
    ['How important is money in your life?', 'Why money is important in our life?'],
    // The two words are far apart, in different clauses of a long prompt: a reworded story.
    [
      'How long does a transfer from a UK account take? I made one yesterday and it is not showing',
      'I made a transfer yesterday and it is not showing. It came from a UK account, how long does it take?',
    ],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the whole middle of a mirrored swap in its reason', () => {
    expect(directionGuard.check('Did Google acquire Motorola?', 'Did Motorola acquire Google?')).toEqual({
      pass: false,
      reason: '"googl" and "motorola" swap around "acquire"',
    });
  });

  it('names the swapped words and the marker in its reason', () => {
    expect(directionGuard.check('Is Python better than Java?', 'Is Java better than Python?')).toEqual({
      pass: false,
      reason: '"python" and "java" swap around "than"',
    });
  });
});
