// Loose word equality for guards: the same word with another ending, or with one typo, should not
// count as a different word.

const DIGIT_RE = /\p{N}/u;

/** "india"/"indian", "japan"/"japanese", "germany"/"german": a shared stem and a short ending. */
export function sameRoot(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // "iphone6"/"iphone7" or "python2"/"python3" differ exactly where it matters.
  if (short.length < 4 || DIGIT_RE.test(a) || DIGIT_RE.test(b)) return false;
  let p = 0;
  while (p < short.length && short[p] === long[p]) p++;
  return p >= Math.max(4, short.length - 1) && long.length - p <= 4;
}

/** One insertion, deletion or substitution apart; for names of five letters or more (typos). */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  if (DIGIT_RE.test(a) || DIGIT_RE.test(b)) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
