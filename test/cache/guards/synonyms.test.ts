import { describe, expect, it } from 'vitest';
import { areSynonyms } from '../../../src/cache/guards/lexical-support.js';
import { SYNONYM_SETS, createSynonymIndex } from '../../../src/cache/guards/synonyms.js';

describe('synonym sets', () => {
  it('are general English sets of two or more members, each member written once', () => {
    const seen = new Map<string, number>();
    SYNONYM_SETS.forEach((members, i) => {
      expect(members.length).toBeGreaterThanOrEqual(2);
      for (const m of members) {
        const key = m.join(' ');
        expect(key).toMatch(/^[a-z][a-z -]*$/);
        // The same member in two sets would join them: "lower" in "reduce" and in a set of "low".
        expect(seen.get(key), `"${key}" is in two sets`).toBeUndefined();
        seen.set(key, i);
      }
    });
  });

  it.each([
    ['acquired', 'bought'],
    ['relocated', 'moved'],
    ['purchase', 'buy'],
    ['fractured', 'broken'],
    ['medications', 'drugs'],
    ['quickly', 'fast'],
  ])('takes "%s" and "%s" for the same word, in any inflection', (a, b) => {
    expect(areSynonyms(a, b)).toBe(true);
    expect(areSynonyms(b, a)).toBe(true);
  });

  it.each([
    ['withdrawal', 'transfer'],
    ['install', 'update'],
    ['pregnancy', 'breastfeeding'],
    ['cash', 'money'],
    ['fee', 'charge'],
    ['increase', 'reduce'],
  ])('keeps "%s" and "%s" apart', (a, b) => {
    expect(areSynonyms(a, b)).toBe(false);
  });

  it('finds multi-word members and every word they cover', () => {
    const index = createSynonymIndex((w) => w);
    const concepts = index.conceptsAt(['medications', 'for', 'high', 'blood', 'pressure']);
    const hypertension = index.conceptsAt(['hypertension']).get(0);
    expect(hypertension).toBeDefined();
    for (const at of [2, 3, 4]) expect(concepts.get(at)).toEqual(expect.arrayContaining([...hypertension!]));
    expect(concepts.get(1)).toBeUndefined();
  });
});
