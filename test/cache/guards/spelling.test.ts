import { describe, expect, it } from 'vitest';
import { oneEditApart, rootIndex, sameRoot, typoIndex } from '../../../src/cache/guards/spelling.js';

// Words with shared stems, inflections, typos at every position, digits and short words.
const VOCABULARY = [
  'transfer',
  'transfers',
  'transferred',
  'tranfser',
  'transfre',
  'ransfer',
  'xtransfer',
  'transferx',
  'successful',
  'succesful',
  'successfull',
  'uccessful',
  'card',
  'cards',
  'cart',
  'india',
  'indian',
  'japan',
  'japanese',
  'iphone6',
  'iphone7',
  'python2',
  'python3',
  'receive',
  'recieve',
  'receiver',
  'theme',
  'themes',
  'them',
  'the',
  'abcde',
  'xbcde',
  'abcdx',
  'abcd',
  'bcde',
  'payment',
  'payments',
  'pavment',
  'ayment',
  'paymentt',
];

describe('rootIndex and typoIndex', () => {
  it('answer exactly as comparing with every word would', () => {
    for (let n = 1; n < VOCABULARY.length; n += 7) {
      const indexed = VOCABULARY.slice(0, n);
      const roots = rootIndex(indexed);
      const typos = typoIndex(indexed);
      for (const word of VOCABULARY) {
        expect(roots.has(word), `root ${word} in ${n}`).toBe(indexed.some((w) => w === word || sameRoot(word, w)));
        expect(typos.has(word), `typo ${word} in ${n}`).toBe(indexed.some((w) => w === word || oneEditApart(word, w)));
      }
    }
  });

  it('find inflections and one-letter typos, and keep digits apart', () => {
    expect(rootIndex(['transfer']).has('transferred')).toBe(true);
    expect(typoIndex(['successful']).has('succesful')).toBe(true);
    expect(typoIndex(['payment']).has('ayment')).toBe(true);
    expect(rootIndex(['iphone6']).has('iphone7')).toBe(false);
    expect(typoIndex(['iphone6']).has('iphone7')).toBe(false);
  });
});
