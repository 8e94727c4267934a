import { describe, expect, it } from 'vitest';
import { stem, tokenize } from '../../../src/cache/guards/tokenize.js';

describe('tokenize', () => {
  it('keeps numbers with separators, currency, percent and contractions whole', () => {
    expect(tokenize("Can't I pay $1,000 or 3.5% on e-mail?").tokens.map((t) => t.raw)).toEqual(["Can't", 'I', 'pay', '$1,000', 'or', '3.5%', 'on', 'e-mail']);
  });

  it('marks the first word of each sentence, but not words after an abbreviation', () => {
    const starts = tokenize('Hello there. Mr. Smith met U.S. troops? Yes').tokens.filter((t) => t.sentenceStart);
    expect(starts.map((t) => t.raw)).toEqual(['Hello', 'Mr', 'Yes']);
  });

  it('ends a sentence at a run of marks followed by a space, not at one glued to a word (quadratic)', () => {
    expect(tokenize('Why?? Really... ok!').tokens.map((t) => [t.lower, t.sentenceStart])).toEqual([
      ['why', true],
      ['really', true],
      ['ok', true],
    ]);
    const glued = tokenize(`Why ${'!'.repeat(200_000)}x`).tokens;
    expect(glued.map((t) => t.lower)).toEqual(['why', 'x']);
    expect(glued[1]?.sentenceStart).toBe(false);
  });

  it('marks tokens that follow a comma, semicolon, colon, bracket or a dash standing alone', () => {
    const marked = tokenize('Paris, Rome (Italy); Berlin -- Bonn - Köln, e-mail').tokens.filter((t) => t.clauseStart);
    expect(marked.map((t) => t.raw)).toEqual(['Rome', 'Italy', 'Berlin', 'Bonn', 'Köln', 'e-mail']);
  });

  it('joins clitics that corpora tokenise apart ("Henry \'s son", "do n\'t")', () => {
    expect(tokenize("Henry 's son do n't go").tokens.map((t) => t.lower)).toEqual(["henry's", 'son', "don't", 'go']);
  });

  it('folds curly apostrophes and collects quoted strings lower-cased', () => {
    const t = tokenize('What does “Carpe Diem” mean? Isn’t it "seize the day"?');
    expect(t.lowerSet.has("isn't")).toBe(true);
    expect(t.quoted).toEqual(['carpe diem', 'seize the day']);
  });
});

describe('stem', () => {
  it.each([
    ['replaced', 'replac'],
    ['replaces', 'replac'],
    ['replacing', 'replac'],
    ['stopped', 'stop'],
    ['installed', 'install'],
    ['flights', 'flight'],
    ['countries', 'country'],
    ["india's", 'india'],
  ])('stems %s to %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});
