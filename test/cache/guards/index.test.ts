import { describe, expect, it } from 'vitest';
import { ALL_GUARDS, DEFAULT_GUARD_NAMES, createGuardStage } from '../../../src/cache/guards/index.js';

describe('guard stage', () => {
  it('lists every guard by its stable name', () => {
    expect(ALL_GUARDS.map((g) => g.name)).toEqual(['numbers', 'polarity', 'entities', 'language', 'direction', 'substitution', 'state', 'specifier']);
  });

  it('enables every guard by default', () => {
    expect(DEFAULT_GUARD_NAMES).toEqual(ALL_GUARDS.map((g) => g.name));
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
      'unknown guard name(s): spelling; known guards: numbers, polarity, entities, language, direction, substitution, state, specifier',
    );
  });
});
