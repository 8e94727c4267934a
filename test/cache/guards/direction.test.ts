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
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the swapped words and the marker in its reason', () => {
    expect(directionGuard.check('Is Python better than Java?', 'Is Java better than Python?')).toEqual({
      pass: false,
      reason: '"python" and "java" swap around "than"',
    });
  });
});
