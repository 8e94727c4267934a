import { describe, expect, it } from 'vitest';
import { normalizeForEmbedding, normalizeForExact } from '../../src/cache/normalize.js';

describe('normalizeForExact', () => {
  it('trims the ends of lines and keeps runs of spaces and tabs inside them', () => {
    expect(normalizeForExact('How do I reset my password?   ')).toBe('How do I reset my password?');
    expect(normalizeForExact("How many spaces are in 'a    b'?")).not.toBe(normalizeForExact("How many spaces are in 'a b'?"));
    expect(normalizeForExact('print("a\tb")')).toBe('print("a\tb")');
  });

  it('keeps line breaks and indentation, which can change the answer (code)', () => {
    const inside = 'for x in xs:\n    print(x)';
    const outside = 'for x in xs:\nprint(x)';
    expect(normalizeForExact(inside)).toBe(inside);
    expect(normalizeForExact(inside)).not.toBe(normalizeForExact(outside));
    expect(normalizeForExact('\n\nline one\r\nline two  \n')).toBe('line one\nline two');
  });

  it('keeps a long run of blank lines inside a prompt and trims those at the ends (quadratic)', () => {
    const inner = '\n'.repeat(200_000);
    expect(normalizeForExact(`\n\na${inner}b\n\n`)).toBe(`a${inner}b`);
  });

  it('unifies canonically equal characters (NFC) but keeps superscripts, subscripts and fractions', () => {
    expect(normalizeForExact('caf\u0065\u0301')).toBe('caf\u00e9');
    expect(normalizeForExact('What is 3²?')).not.toBe(normalizeForExact('What is 32?'));
    expect(normalizeForExact('Is x₁ > x2?')).not.toBe(normalizeForExact('Is x1 > x2?'));
    expect(normalizeForExact('½')).toBe('½');
  });

  it('keeps case, because case can change the answer', () => {
    expect(normalizeForExact('Convert IT to UPPERCASE')).not.toBe(normalizeForExact('convert it to uppercase'));
  });

  it('keeps trailing punctuation', () => {
    expect(normalizeForExact('Is it raining?')).toBe('Is it raining?');
  });
});

describe('normalizeForEmbedding', () => {
  it('collapses whitespace and applies NFKC', () => {
    expect(normalizeForEmbedding(' what is\u3000２FA ')).toBe('what is 2FA');
  });

  it('keeps case and the trailing question mark, which carry signal for USE-lite', () => {
    expect(normalizeForEmbedding('What is Python?')).toBe('What is Python?');
  });
});
