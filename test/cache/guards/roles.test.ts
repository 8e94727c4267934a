import { describe, expect, it } from 'vitest';
import { rolesGuard } from '../../../src/cache/guards/roles.js';

const passes = (a: string, b: string) => rolesGuard.check(a, b).pass;

describe('roles guard', () => {
  it.each([
    ['Smith replaced Jones as head coach in 2010.', 'Jones replaced Smith as head coach in 2010.'],
    ['He represented Turkey at the 2010 World Cup in New Zealand.', 'He represented New Zealand at the 2010 World Cup in Turkey.'],
    ['The office is situated on Bath Road, at the end of Station Road.', 'The office is situated on Station Road, at the end of Bath Road.'],
    ['The line runs from Leeds to York.', 'The line runs from York to Leeds.'],
    ["Henry's son Edward became king.", "Edward's son Henry became king."],
    ['He was born in Leeds and died in York.', 'He was born in York and died in Leeds.'],
    ['Is Python better than Java?', 'Is Java better than Python?'],
    ['What does LeBron James think of Kobe Bryant?', 'What does Kobe Bryant think of LeBron James?'],
    // Multi-word names sharing a word, far apart in a long sentence.
    [
      'The station, opened in 1887 by the Northern Railway Company, was later taken over by the Midland Railway and closed in 1962.',
      'The station, opened in 1887 by the Midland Railway, was later taken over by the Northern Railway Company and closed in 1962.',
    ],
    // List members moved between slots.
    ['The band had Tom on vocals, Ann on guitar and Bob on drums.', 'The band had Ann on vocals, Tom on guitar and Bob on drums.'],
    // Acronyms spelt like function words still fill roles.
    ['Is there financial aid for International students in US universities?', 'Is there financial aid for US students in International universities?'],
    // Text tokenised as in NLP corpora.
    ["Bertram 's son Hugh inherited the estate in 2014 .", "Hugh 's son Bertram inherited the estate in 2014 ."],
  ])('rejects the exchange "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['Smith replaced Jones as head coach.', 'Smith was replaced by Jones as head coach.'],
    ['Did Federer beat Nadal at Wimbledon?', 'Was Federer beaten by Nadal at Wimbledon?'],
    ['Google acquired Motorola in 2012.', 'Google was acquired by Motorola in 2012.'],
  ])('rejects the voice flipped in place "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    // Voice: the passive reverses the roles back.
    ['Smith replaced Jones as head coach in 2010.', 'Jones was replaced by Smith as head coach in 2010.'],
    ['Did Smith replace Jones at Leeds?', 'Was Jones replaced by Smith at Leeds?'],
    ['Did Federer beat Nadal at Wimbledon?', 'Was Nadal beaten by Federer at Wimbledon?'],
    // Fronted and moved phrases keep their own neighbours.
    ['He represented Turkey at the 2010 World Cup in New Zealand.', 'At the 2010 World Cup in New Zealand, he represented Turkey.'],
    ['He was born in Leeds and died in York.', 'Born in Leeds, he died in York.'],
    ['The line runs from Leeds to York.', 'The line runs to York from Leeds.'],
    ['In Python, how do I convert a string to an int?', 'How do I convert a string to an int in Python?'],
    ["Henry's son Edward became king.", 'Edward, the son of Henry, became king.'],
    // Symmetric joins, whole list items, the copula.
    ['Python vs Java: which is faster?', 'Java vs Python: which is faster?'],
    ['What is the difference between a virus and a bacterium?', 'What is the difference between a bacterium and a virus?'],
    ['Who is older, Ann or Bob?', 'Who is older, Bob or Ann?'],
    ['They visited Paris, Rome and Berlin.', 'They visited Berlin, Rome and Paris.'],
    ['The band had Tom on vocals, Ann on guitar and Bob on drums.', 'The band had Ann on guitar, Tom on vocals and Bob on drums.'],
    ['How important is money in your life?', 'Why money is important in our life?'],
    // A converse reading: the words between the two are not the same stretch.
    ["My account isn't showing the refund", "The refund isn't showing up on my account."],
    ['Why are boys so different from girls?', 'Are girls really so different from boys?'],
    // Two sentences reordered: roles are given within a sentence.
    [
      'How long does a transfer from a UK account take? I made one yesterday and it is not showing',
      'I made a transfer yesterday and it is not showing. It came from a UK account, how long does it take?',
    ],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the exchanged words and the words between them in its reason', () => {
    expect(rolesGuard.check('The line runs from Leeds to York.', 'The line runs from York to Leeds.')).toEqual({
      pass: false,
      reason: '"leeds" and "york" exchange places around "to"',
    });
  });

  it('names the verb whose voice changed in its reason', () => {
    expect(rolesGuard.check('Google acquired Motorola in 2012.', 'Google was acquired by Motorola in 2012.')).toEqual({
      pass: false,
      reason: '"google" and "motorola" keep their places but "acquired" changes voice',
    });
  });
});
