// One tokenisation per text, shared by every guard in a stage: the stage runs on the hot path of each
// semantic hit, so the regex work is done once and the guards only look at arrays and sets.

export interface Token {
  /** The token as written (after NFKC and apostrophe folding), e.g. `iPhone`, `1,000`, `can't`. */
  readonly raw: string;
  /** Lower-cased `raw`. */
  readonly lower: string;
  /** True for the first word of a sentence, where a capital letter says nothing about names. */
  readonly sentenceStart: boolean;
  /** True when a comma, semicolon, colon, bracket or dash stands between this token and the one
   * before it: the edge of a clause or of a list item ("A, B and C"). */
  readonly clauseStart: boolean;
}

export interface TokenizedText {
  readonly text: string;
  readonly tokens: readonly Token[];
  /** Lower-cased forms of every token, for "does the other text mention this at all" checks. */
  readonly lowerSet: ReadonlySet<string>;
  /** Text inside straight or curly double quotes, lower-cased and trimmed. */
  readonly quoted: readonly string[];
}

// A word is letters/digits, optionally joined by `.`/`,` between digits (1,000 / 3.5), or by an
// apostrophe, hyphen or dot before a letter (can't / e-mail / node.js). Currency signs and a
// trailing `%` stay attached so `$10` and `10%` keep their unit. `.?!` followed by a space or the
// end mark sentence ends ("Rs.4000" is not one); a run of them is tried from its first mark only
// (trying from every mark makes a long run not followed by a space quadratic).
const TOKEN_RE = /[$€£₹¥]?[\p{L}\p{N}]+(?:(?:(?<=\p{N})[.,](?=\p{N})|['\-.](?=\p{L}))[\p{L}\p{N}]+)*%?|(?<![.?!])[.?!]+(?=\s|$)/gu;
const QUOTED_RE = /"([^"]{1,200})"|“([^”]{1,200})”/g;
const SENTENCE_END_RE = /^[.?!]+$/;
// Between two tokens: a comma, semicolon, colon, bracket, en or em dash, or a hyphen run standing
// alone (" - ", " -- "). Scanned in place: a slice and a regex per token doubled the cost of
// tokenising long prompts.
const CLAUSE_MARKS = new Set([...',;:()[]{}\u2013\u2014']);

function hasClauseMark(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (CLAUSE_MARKS.has(c)) return true;
    if (c === '-' && (i === from || /\s/.test(text[i - 1]!))) {
      let j = i;
      while (j < to && text[j] === '-') j++;
      if (j === to || /\s/.test(text[j]!)) return true;
      i = j - 1;
    }
  }
  return false;
}
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'vs', 'etc', 'jr', 'sr', 'no', 'approx', 'inc', 'ltd', 'co']);

// Text tokenised for NLP corpora detaches clitics ("Henry 's son", "do n't"): joined back, they are
// the words every guard knows.
const DETACHED_CLITIC_RE = /(?<=\p{L}) (?=n't\b|'(?:s|d|m|ll|re|ve)\b)/gu;

export function tokenize(text: string): TokenizedText {
  let folded = text.normalize('NFKC').replace(/[\u2018\u2019\u02bc]/g, "'");
  // The regex tries every space; most prompts have no detached clitic to join.
  if (folded.includes(" '") || folded.includes(" n't")) folded = folded.replace(DETACHED_CLITIC_RE, '');
  const tokens: Token[] = [];
  const lowerSet = new Set<string>();
  let sentenceStart = true;
  let gapFrom = 0;
  for (const match of folded.matchAll(TOKEN_RE)) {
    const raw = match[0];
    const clauseStart = tokens.length > 0 && hasClauseMark(folded, gapFrom, match.index);
    gapFrom = match.index + raw.length;
    if (SENTENCE_END_RE.test(raw)) {
      const prev = tokens[tokens.length - 1]?.lower ?? '';
      // "Mr. Modi", "U.S. troops", "vs. X": the dot ends an abbreviation, not a sentence.
      if (raw !== '.' || !(ABBREVIATIONS.has(prev) || prev.includes('.') || prev.length === 1)) sentenceStart = true;
      continue;
    }
    const lower = raw.toLowerCase();
    tokens.push({ raw, lower, sentenceStart, clauseStart });
    lowerSet.add(lower);
    sentenceStart = false;
  }
  const quoted: string[] = [];
  for (const match of folded.matchAll(QUOTED_RE)) {
    const inner = (match[1] ?? match[2] ?? '').trim().toLowerCase();
    if (inner.length > 0) quoted.push(inner);
  }
  return { text, tokens, lowerSet, quoted };
}

// Crude English suffix folding, enough to match "replaces"/"replaced" or "flights"/"flight" between
// two prompts. It is not a real stemmer: both sides go through the same function, which is all a
// comparison needs.
export function stem(lower: string): string {
  let w = lower.endsWith("'s") ? lower.slice(0, -2) : lower;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(?:sh|ch|x|ss|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // "stopped" -> "stopp" -> "stop"; "installed" keeps its "ll" so it still meets "install".
  if (w !== lower && /([b-df-hj-kmnp-rtv-z])\1$/.test(w) && !/(?:ll|ss|zz|ff)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}
