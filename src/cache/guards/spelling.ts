// Loose word equality for guards: the same word with another ending, or with one typo, should not
// count as a different word.

const DIGIT_RE = /\p{N}/u;

/** "india"/"indian", "japan"/"japanese", "germany"/"german": a shared stem and a short ending. */
export function sameRoot(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 4) return false;
  let p = 0;
  while (p < short.length && short[p] === long[p]) p++;
  if (p < Math.max(4, short.length - 1) || long.length - p > 4) return false;
  // "iphone6"/"iphone7" or "python2"/"python3" differ exactly where it matters (tested last: the
  // letters rule most pairs out more cheaply).
  return !DIGIT_RE.test(a) && !DIGIT_RE.test(b);
}

/** One insertion, deletion or substitution apart; for names of five letters or more (typos). */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const oneEdit =
    a.length === b.length ? a.slice(i + 1) === b.slice(i + 1) : a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  return oneEdit && !DIGIT_RE.test(a) && !DIGIT_RE.test(b);
}

export interface WordIndex {
  has(word: string): boolean;
}

interface BucketKeys {
  /** Buckets a word of the index is filed under. */
  readonly file: (word: string) => readonly string[];
  /** Buckets that may hold a match of the word looked up. */
  readonly lookup: (word: string) => readonly string[];
}

/** Up to this many words a scan is cheaper than building buckets (prompts are mostly short). */
const SCAN_UP_TO = 24;

function bucketed(words: Iterable<string>, keys: BucketKeys, match: (a: string, b: string) => boolean): WordIndex {
  const exact = new Set(words);
  if (exact.size <= SCAN_UP_TO) {
    return {
      has(word) {
        if (exact.has(word)) return true;
        for (const w of exact) if (match(word, w)) return true;
        return false;
      },
    };
  }
  const buckets = new Map<string, string[]>();
  for (const w of exact) {
    for (const key of keys.file(w)) {
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, [w]);
      else bucket.push(w);
    }
  }
  const memo = new Map<string, boolean>();
  return {
    has(word) {
      if (exact.has(word)) return true;
      let found = memo.get(word);
      if (found === undefined) {
        found = keys.lookup(word).some((key) => buckets.get(key)?.some((w) => match(word, w)) === true);
        memo.set(word, found);
      }
      return found;
    },
  };
}

/**
 * `words`, and any word of the same root as one of them (`sameRoot`), found without comparing with
 * every word: two words of the same root share their first four letters. Guards look up each word
 * of one prompt in the other; scanning made that quadratic, seconds for long prompts.
 */
export function rootIndex(words: Iterable<string>): WordIndex {
  // sameRoot never matches a word with a digit, so such words need no bucket.
  const head = (w: string): string[] => (w.length >= 4 && !DIGIT_RE.test(w) ? [w.slice(0, 4)] : []);
  return bucketed(words, { file: head, lookup: head }, sameRoot);
}

/**
 * `words`, and any word one edit from one of them (`oneEditApart`). Two words of five letters or
 * more one edit apart differ in length by at most one, and share their first two letters (an edit
 * from the third letter on) or their last two (an edit within the first two).
 */
export function typoIndex(words: Iterable<string>): WordIndex {
  const keysAt = (w: string, n: number): string[] => [`^${w.slice(0, 2)}${n}`, `$${w.slice(-2)}${n}`];
  return bucketed(
    words,
    {
      file: (w) => (w.length < 5 || DIGIT_RE.test(w) ? [] : keysAt(w, w.length)),
      lookup: (w) => (w.length < 5 || DIGIT_RE.test(w) ? [] : [w.length - 1, w.length, w.length + 1].flatMap((n) => keysAt(w, n))),
    },
    oneEditApart,
  );
}
