// Reads the quantities of a prompt: "10 miles", "$1,000", "ten", "2nd", "1990s", "10k", "two
// hundred", "25%". Values are normalised so the same number written two ways compares equal, and
// units are folded to one spelling per unit ("kilometres" -> km) so only real differences remain.

import type { Token } from './tokenize.js';

export interface Quantity {
  readonly kind: 'cardinal' | 'ordinal';
  readonly value: number;
  /** Canonical unit, or null when the number stands alone. */
  readonly unit: string | null;
  /** Weak numbers ("one", "first", "second") are often not numbers at all ("which one", "at
   * first"); they may match a number on the other side but never cause a rejection themselves. */
  readonly weak: boolean;
}

export type Dimension = 'length' | 'mass' | 'temperature' | 'volume' | 'currency' | 'data' | 'time' | 'percent';

type UnitEntry = readonly [canonical: string, dimension: Dimension, words: readonly string[]];

// Words in `bare: false` lists are units only right after a number ("10 m", "5 g", "3 s"): alone
// they are letters or ordinary words. The others also count with no number ("distance in miles").
const UNITS: readonly (UnitEntry & { bare?: boolean })[] = [
  ['mile', 'length', ['mile', 'miles', 'mi']],
  ['km', 'length', ['km', 'kms', 'kilometer', 'kilometers', 'kilometre', 'kilometres']],
  ['m', 'length', ['m', 'meter', 'meters', 'metre', 'metres']],
  ['cm', 'length', ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres']],
  ['mm', 'length', ['mm', 'millimeter', 'millimeters', 'millimetre', 'millimetres']],
  ['ft', 'length', ['ft', 'foot', 'feet']],
  ['inch', 'length', ['inch', 'inches']],
  ['yard', 'length', ['yard', 'yards', 'yd', 'yds']],
  ['kg', 'mass', ['kg', 'kgs', 'kilogram', 'kilograms', 'kilo', 'kilos']],
  ['g', 'mass', ['g', 'gm', 'gms', 'gram', 'grams', 'gramme', 'grammes']],
  ['lb', 'mass', ['lb', 'lbs', 'pound', 'pounds']],
  ['oz', 'mass', ['oz', 'ounce', 'ounces']],
  ['ton', 'mass', ['ton', 'tons', 'tonne', 'tonnes']],
  ['celsius', 'temperature', ['celsius', 'centigrade']],
  ['fahrenheit', 'temperature', ['fahrenheit']],
  ['kelvin', 'temperature', ['kelvin']],
  ['l', 'volume', ['l', 'liter', 'liters', 'litre', 'litres']],
  ['ml', 'volume', ['ml', 'milliliter', 'milliliters', 'millilitre', 'millilitres']],
  ['gallon', 'volume', ['gallon', 'gallons', 'gal']],
  ['usd', 'currency', ['$', 'usd', 'dollar', 'dollars', 'bucks']],
  ['eur', 'currency', ['€', 'eur', 'euro', 'euros']],
  ['gbp', 'currency', ['£', 'gbp', 'sterling']],
  ['inr', 'currency', ['₹', 'inr', 'rs', 'rupee', 'rupees']],
  ['jpy', 'currency', ['¥', 'jpy', 'yen']],
  ['btc', 'currency', ['btc', 'bitcoin', 'bitcoins']],
  ['cent', 'currency', ['cent', 'cents']],
  ['kb', 'data', ['kb', 'kilobyte', 'kilobytes']],
  ['mb', 'data', ['mb', 'megabyte', 'megabytes']],
  ['gb', 'data', ['gb', 'gig', 'gigs', 'gigabyte', 'gigabytes']],
  ['tb', 'data', ['tb', 'terabyte', 'terabytes']],
  ['s', 'time', ['s', 'sec', 'secs', 'second', 'seconds']],
  ['min', 'time', ['min', 'mins', 'minute', 'minutes']],
  ['h', 'time', ['h', 'hr', 'hrs', 'hour', 'hours']],
  ['day', 'time', ['day', 'days']],
  ['week', 'time', ['week', 'weeks', 'wk', 'wks']],
  ['month', 'time', ['month', 'months']],
  ['year', 'time', ['year', 'years', 'yr', 'yrs']],
  ['pct', 'percent', ['%', 'percent', 'percentage', 'pc']],
];
// Ambiguous alone: letters, "pound" (money or weight), and time words, which in prompts are mostly
// ordinary nouns ("the best day", "this year").
const NOT_BARE = new Set([
  'm',
  'g',
  'l',
  's',
  'h',
  'mi',
  'gm',
  'gms',
  'pc',
  'gal',
  'yd',
  'yds',
  'rs',
  'gig',
  'gigs',
  'pound',
  'pounds',
  'bucks',
  'percentage',
  'kilo',
  'kilos',
  'ft',
  'foot',
  'feet',
]);

const UNIT_BY_WORD = new Map<string, { canonical: string; dimension: Dimension; bare: boolean }>();
for (const [canonical, dimension, words] of UNITS) {
  const timeWord = dimension === 'time';
  for (const w of words) UNIT_BY_WORD.set(w, { canonical, dimension, bare: !timeWord && !NOT_BARE.has(w) });
}

const SMALL: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  dozen: 12,
};
const SCALES: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1e3,
  k: 1e3,
  lakh: 1e5,
  lakhs: 1e5,
  million: 1e6,
  mn: 1e6,
  crore: 1e7,
  crores: 1e7,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
};
const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  twentieth: 20,
  hundredth: 100,
};
const WEAK_WORDS = new Set(['one', 'first', 'second']);

const DIGITS_RE = /^([$€£₹¥])?(\d+(?:,\d{3})+|\d*\.\d+|\d+)(st|nd|rd|th)?([a-z%]*)$/;

export function unitOf(lower: string): { canonical: string; dimension: Dimension; bare: boolean } | undefined {
  return UNIT_BY_WORD.get(lower);
}

/** True for tokens that are numbers, possibly with a unit or currency ("25k", "1000rs", "$5"). */
export function isQuantityToken(lower: string): boolean {
  return parseDigits(lower) !== undefined;
}

function parseDigits(lower: string): { value: number; ordinal: boolean; unit: string | null } | undefined {
  const m = DIGITS_RE.exec(lower);
  if (!m) return undefined;
  const [, currency, digits = '', ordinal, suffix = ''] = m;
  let value = Number(digits.replace(/,/g, ''));
  let unit: string | null = currency ? (unitOf(currency)?.canonical ?? null) : null;
  if (suffix === 'k') value *= 1e3;
  else if (suffix === 's' && value >= 1000) unit = 'decade';
  else if (suffix.length > 0) unit = unitOf(suffix)?.canonical ?? suffix;
  return { value, ordinal: ordinal !== undefined, unit };
}

/** Every quantity in the token list, in order. */
export function extractQuantities(tokens: readonly Token[]): Quantity[] {
  const out: Quantity[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const lower = tokens[i]!.lower;
    let value: number | undefined;
    let kind: Quantity['kind'] = 'cardinal';
    let unit: string | null = null;
    let weak = false;
    const digits = parseDigits(lower);
    if (digits) {
      ({ value, unit } = digits);
      if (digits.ordinal) kind = 'ordinal';
    } else if (lower in ORDINALS) {
      value = ORDINALS[lower];
      kind = 'ordinal';
      weak = WEAK_WORDS.has(lower);
    } else {
      const compound = lower.split('-');
      if (compound.every((w) => w in SMALL)) {
        value = compound.reduce((sum, w) => sum + (SMALL[w] ?? 0), 0);
        weak = WEAK_WORDS.has(lower);
      }
    }
    if (value === undefined) continue;
    // Absorb "twenty one", "two hundred", "1.5 million", "one thousand five hundred".
    while (kind === 'cardinal' && unit === null && i + 1 < tokens.length) {
      const next = tokens[i + 1]!.lower;
      if (next in SCALES) value *= SCALES[next] ?? 1;
      else if (next in SMALL && value >= 20 && value % 10 === 0 && (SMALL[next] ?? 10) < value) value += SMALL[next] ?? 0;
      else break;
      weak = false;
      i++;
    }
    if (unit === null && i + 1 < tokens.length) {
      const u = unitOf(tokens[i + 1]!.lower);
      if (u) {
        unit = u.canonical;
        weak = false;
        i++;
      }
    }
    if (unit === null && i > 0) {
      const before = unitOf(tokens[i - 1]!.lower);
      if (before?.dimension === 'currency') unit = before.canonical;
    }
    out.push({ kind, value, unit, weak });
  }
  return out;
}

/** Units named with no number next to them ("in miles", "convert dollars"), by dimension. */
export function bareUnits(tokens: readonly Token[]): Map<Dimension, Set<string>> {
  const out = new Map<Dimension, Set<string>>();
  for (let i = 0; i < tokens.length; i++) {
    const u = unitOf(tokens[i]!.lower);
    if (!u || !u.bare) continue;
    const prev = i > 0 ? tokens[i - 1]!.lower : '';
    if (parseDigits(prev) || prev in SMALL || prev in SCALES) continue;
    let set = out.get(u.dimension);
    if (!set) out.set(u.dimension, (set = new Set()));
    set.add(u.canonical);
  }
  return out;
}
