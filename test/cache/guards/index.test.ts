import { describe, expect, it } from 'vitest';
import { ALL_GUARDS, DEFAULT_GUARD_NAMES, createGuardStage } from '../../../src/cache/guards/index.js';

describe('guard stage', () => {
  it('lists every guard by its stable name', () => {
    expect(ALL_GUARDS.map((g) => g.name)).toEqual([
      'numbers',
      'polarity',
      'entities',
      'language',
      'code',
      'direction',
      'roles',
      'substitution',
      'state',
      'specifier',
    ]);
  });

  it('enables every guard by default, the support check last', () => {
    expect(DEFAULT_GUARD_NAMES).toEqual([...ALL_GUARDS.map((g) => g.name), 'support']);
  });

  it('passes a plain rewording through every default guard', () => {
    expect(createGuardStage(DEFAULT_GUARD_NAMES).check('How can I reset my password?', 'How do I reset my password?')).toEqual({ pass: true });
  });

  it('reports which guard rejected and why', () => {
    const stage = createGuardStage(DEFAULT_GUARD_NAMES);
    expect(stage.check('How do I enable 2FA?', 'How do I disable 2FA?')).toEqual({
      pass: false,
      guard: 'polarity',
      reason: 'opposite words: enable/disable',
    });
  });

  it('runs only the selected guards, in the cheap-first order whatever the order asked', () => {
    const stage = createGuardStage(['direction', 'numbers']);
    expect(stage.names).toEqual(['numbers', 'direction']);
    expect(stage.check('How do I enable 2FA?', 'How do I disable 2FA?')).toEqual({ pass: true });
    expect(stage.check('Is 10 miles far?', 'Is 25 miles far?')).toMatchObject({ pass: false, guard: 'numbers' });
    expect(stage.check('Is Python better than Java?', 'Is Java better than Python?')).toMatchObject({ pass: false, guard: 'direction' });
  });

  it('accepts everything with an empty selection', () => {
    expect(createGuardStage([]).check('10 miles', '25 km')).toEqual({ pass: true });
  });

  it('throws a clear error naming an unknown guard and the known ones', () => {
    expect(() => createGuardStage(['numbers', 'spelling'])).toThrow(
      'unknown guard name(s): spelling; known guards: numbers, polarity, entities, language, code, direction, roles, substitution, state, specifier, support',
    );
  });
});

describe('guard stage: lexical support below the confident similarity', () => {
  const stage = createGuardStage(DEFAULT_GUARD_NAMES, { support: { confidentSimilarity: 0.95, penaltyPerWord: 0.04 } });
  // "work" is the one word the query does not share, a common one (half weight): 0.93 - 0.02 = 0.91.
  const query = 'How do I get my card to work?';
  const candidate = 'How do I get my card?';

  it('passes a candidate that keeps the threshold after the charge, saying what it kept', () => {
    const verdict = stage.check(query, candidate, { similarity: 0.93, threshold: 0.9 });
    expect(verdict.pass).toBe(true);
    expect(verdict.pass && verdict.supported).toBeCloseTo(0.91, 12);
  });

  it('rejects one that falls below it, naming the support guard and the words', () => {
    expect(stage.check(query, candidate, { similarity: 0.93, threshold: 0.92 })).toEqual({
      pass: false,
      guard: 'support',
      reason: '1 word(s) not shared ("work"): 0.9300 - 0.0200 < 0.92',
    });
  });

  it('passes a candidate charged down to exactly the threshold, whatever the rounding', () => {
    const two = createGuardStage(['support']);
    // 0.94 - 0.04 (the cap) = 0.8999999999999999 in floating point.
    expect(two.check('alpha beta gamma', 'alpha beta gamma delta epsilon', { similarity: 0.94, threshold: 0.9 })).toMatchObject({ pass: true });
  });

  it('charges nothing at or above the confident similarity', () => {
    expect(stage.check(query, candidate, { similarity: 0.95, threshold: 0.95 })).toEqual({ pass: true, supported: 0.95 });
  });

  it('charges nothing for a rewording that shares every content word', () => {
    expect(stage.check('How can I reset my password?', 'How do I reset my password?', { similarity: 0.9, threshold: 0.9 })).toEqual({
      pass: true,
      supported: 0.9,
    });
  });

  it('lets the word guards speak first', () => {
    expect(stage.check('How do I enable 2FA?', 'How do I disable 2FA?', { similarity: 0.9, threshold: 0.9 })).toMatchObject({ guard: 'polarity' });
  });

  it('is off when not selected, and without a score', () => {
    const without = createGuardStage(DEFAULT_GUARD_NAMES.filter((n) => n !== 'support'));
    expect(without.names).not.toContain('support');
    expect(without.check(query, candidate, { similarity: 0.91, threshold: 0.9 })).toEqual({ pass: true, supported: 0.91 });
    expect(stage.check(query, candidate)).toEqual({ pass: true });
  });

  it('runs alone when it is the only selection', () => {
    const alone = createGuardStage(['support']);
    expect(alone.names).toEqual(['support']);
    expect(alone.check(query, candidate, { similarity: 0.91, threshold: 0.9 })).toMatchObject({ pass: false, guard: 'support' });
  });

  it('assesses both parts apart for calibration', () => {
    const assessment = stage.assess(query, candidate, 0.93);
    expect(assessment.verdict).toEqual({ pass: true });
    expect(assessment.unexplained).toEqual(['work']);
    expect(assessment.supported).toBeCloseTo(0.91, 12);
    expect(stage.assess(query, candidate, 0.97)).toEqual({ verdict: { pass: true }, supported: 0.97, unexplained: [] });
  });
});

describe('guard stage: prompt length', () => {
  const words = (n: number, extra = '') => `${Array.from({ length: n }, (_, i) => `word${i}`).join(' ')}${extra}`;

  it('refuses a candidate when either prompt is longer than the stage checks', () => {
    const stage = createGuardStage(DEFAULT_GUARD_NAMES, { maxWords: 10 });
    expect(stage.check(words(11), words(3))).toEqual({ pass: false, guard: 'length', reason: 'a prompt has 11 words; the guards check at most 10' });
    expect(stage.check(words(3), words(11), { similarity: 0.99, threshold: 0.95 })).toMatchObject({ pass: false, guard: 'length' });
    expect(stage.check(words(10), words(10))).toEqual({ pass: true });
  });

  it('checks prompts of up to 256 words by default', () => {
    const stage = createGuardStage(DEFAULT_GUARD_NAMES);
    expect(stage.check(words(256), words(256))).toEqual({ pass: true });
    expect(stage.check(words(257), words(257))).toMatchObject({ pass: false, guard: 'length' });
  });

  it('refuses a prompt with more characters than the stage checks (12 per word of the limit)', () => {
    const stage = createGuardStage(DEFAULT_GUARD_NAMES, { maxWords: 10 });
    const long = Array.from({ length: 5 }, () => 'x'.repeat(30)).join(' ');
    expect(stage.check(long, 'short')).toEqual({ pass: false, guard: 'length', reason: 'a prompt has 154 characters; the guards check at most 120' });
    expect(stage.tooLong(long)).toBe(true);
    expect(stage.tooLong('a few words')).toBe(false);
  });

  it('lets raw cosine (no guard selected) through at any length', () => {
    expect(createGuardStage([], { maxWords: 10 }).check(words(100), words(100))).toEqual({ pass: true });
  });

  it('counts only the unshared words it needs to know the capped charge, and says so', () => {
    const stage = createGuardStage(['support']);
    // The charge stops at one word's worth (0.04); words weigh at least 0.5, so three decide it.
    const verdict = stage.check(words(3), words(3, ' alpha beta gamma delta epsilon zeta'), { similarity: 0.935, threshold: 0.9 });
    expect(verdict).toMatchObject({ pass: false, guard: 'support' });
    expect(verdict.pass === false && verdict.reason).toBe('at least 3 word(s) not shared ("alpha", "beta", "gamma"): 0.9350 - 0.0400 < 0.9');
    // However many words differ, a candidate 0.04 above the threshold keeps it.
    expect(stage.check(words(3), words(3, ' alpha beta gamma delta epsilon zeta'), { similarity: 0.94, threshold: 0.9 })).toMatchObject({ pass: true });
  });
});
