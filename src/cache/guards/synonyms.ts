// Words and phrases of general English that name the same thing in a question ("buy" / "purchase",
// "broken" / "fractured", "high blood pressure" / "hypertension"). A rewording trades them freely,
// and neither the spelling rules of the support charge nor the substitution guard can see it: both
// took such a trade for a different question. Written from dictionaries and everyday usage (lay and
// clinical names of common conditions, verbs of the same action), not from the rows of any data set.
// A word is left out when another of its senses is common ("lies on" / "is situated on", "right" /
// "correct"), and so are pairs that name different things in some domain ("cash" / "money", "fee" /
// "charge" to a bank) or differ in strength or scope ("pain" / "agony", "drug" / "antibiotic"). Matched on each word's
// root (lexical-support.ts), so inflections and derivations count: "purchased", "fracture".

const SETS = `
buy, purchase, acquire
start, begin, commence
finish, end, conclude
help, assist, aid
use, utilize, utilise
show, display
fix, repair, mend
require, need
choose, select, pick
build, construct
create, make
move, relocate
leave, depart
reduce, lower, decrease, lessen, cut down
increase, raise, boost
relieve, ease, alleviate, soothe
speak, talk
answer, reply, respond
ask, inquire, enquire
try, attempt
allow, permit
forbid, prohibit, ban
delete, remove, erase
cancel, call off
configure, set up
convert, turn into, transform into, change into
learn, study
die, pass away
vomit, throw up, puke
urinate, pee
sweat, perspire
sleep, fall asleep, get to sleep, go to sleep
stop, quit
look for, search for, seek
big, large
small, little, tiny
fast, quick, rapid, speedy, quickly, rapidly
early, initial, first
usual, typical, normal, common, regular
usually, typically, normally, generally, commonly
often, frequently
correct, accurate
wrong, incorrect
hard, difficult, tough
easy, simple
cheap, inexpensive, affordable
expensive, costly, pricey
smart, intelligent, clever
sick, ill, unwell
illness, sickness, disease
medication, medicine, drug, meds
doctor, physician
symptom, sign
pain, ache, hurt, sore
stomach, belly, tummy, abdomen, abdominal
broken, fractured, fracture
baby, infant, newborn
child, kid
teen, teenager, adolescent
adult, grown-up
heart attack, myocardial infarction
high blood pressure, hypertension
low blood pressure, hypotension
blood sugar, blood glucose
high blood sugar, hyperglycemia
low blood sugar, hypoglycemia
pink eye, conjunctivitis
flu, influenza
heartburn, acid reflux, reflux
shot, vaccine, vaccination, jab, immunization
checkup, check-up, exam, examination
kidney, renal
heart, cardiac
lung, pulmonary
tired, fatigue, fatigued, exhausted, exhaustion
dizzy, lightheaded, light-headed
nausea, nauseous, queasy
itchy, itch, itching
car, automobile
phone, telephone, cellphone, smartphone
computer, pc
film, movie
job, occupation
company, firm
photo, picture, image, photograph, pic
website, site
benefit, advantage
drawback, disadvantage, downside
cost, price
mistake, error
meaning, definition
`;

/** Each set as its members, each member as its words (lower-cased). */
export const SYNONYM_SETS: readonly (readonly (readonly string[])[])[] = SETS.trim()
  .split('\n')
  .map((line) =>
    line
      .split(',')
      .map((m) => m.trim().split(/\s+/))
      .filter((m) => m[0] !== ''),
  );

export interface SynonymIndex {
  /** The sets each position of `roots` belongs to through a member that starts or covers it. */
  conceptsAt(roots: readonly string[]): ReadonlyMap<number, readonly number[]>;
  /** True when the two single words are members of one set. */
  same(a: string, b: string): boolean;
}

/** Indexes the sets by the root (`rootOf`) of each member's first word. */
export function createSynonymIndex(rootOf: (lower: string) => string): SynonymIndex {
  const byFirst = new Map<string, { roots: readonly string[]; set: number }[]>();
  const single = new Map<string, number[]>();
  SYNONYM_SETS.forEach((members, set) => {
    for (const words of members) {
      const roots = words.map(rootOf);
      const list = byFirst.get(roots[0]!) ?? [];
      list.push({ roots, set });
      byFirst.set(roots[0]!, list);
      if (roots.length === 1) single.set(roots[0]!, [...(single.get(roots[0]!) ?? []), set]);
    }
  });
  return {
    conceptsAt(roots) {
      const out = new Map<number, number[]>();
      for (let i = 0; i < roots.length; i++) {
        for (const m of byFirst.get(roots[i]!) ?? []) {
          if (!m.roots.every((r, k) => roots[i + k] === r)) continue;
          for (let k = 0; k < m.roots.length; k++) out.set(i + k, [...(out.get(i + k) ?? []), m.set]);
        }
      }
      return out;
    },
    same(a, b) {
      const x = single.get(rootOf(a));
      const y = single.get(rootOf(b));
      return x !== undefined && y !== undefined && x.some((s) => y.includes(s));
    },
  };
}
