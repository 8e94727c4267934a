// "Fix this function: ... return a + b" and "... return a - b", or the same Python with one line
// indented differently, embed to nearly the same vector: sentence encoders read code as a bag of
// words, and the symbols and layout that decide what code does weigh almost nothing. A cached
// answer about one piece of code is wrong for any other. So when two prompts differ in a line that
// is code, or in an inline `code` span, this guard rejects the pair: the instruction around the
// code may be reworded ("Fix this:" / "Please fix the bug in this:"), the code may not change.
// The same holds for two prompts whose words are the same and whose symbols are not ("Should I
// learn C++ or C#?", "what does x = a + b do" / "a - b", "(2+3)*4" / "2+(3*4)"), or whose words
// and operators are the same in another order ("is x < y" / "is y < x"): the words explain
// nothing of the change.

import { PASS, defineTokenGuard, reject } from './token-guard.js';
import type { TokenizedText } from './tokenize.js';

const FENCE_RE = /^\s*(```|~~~)/;
const INLINE_CODE_RE = /`([^`\n]+)`/g;
// Signs prose does not have (braces, comparison operators, calls such as `f()` or `x.map(`): code
// or a formula, wherever they appear. (Arrows are not among them: "English -> French" is prose.)
const STRONG_SIGNS_RE = /[{}]|==|!=|:=|&&|\|\||\w\(\)|\w\.\w+\(/;
// Signs prose has now and then ("C++", "word(s)", "; however"): counted only in a prompt of several
// lines, where they mark the lines of a pasted snippet. Keywords count as written in code
// (lower-case, SQL upper-case): "From London, ..." or "Select the best answer" are prose.
const WEAK_SIGNS_RE =
  /;$|\w\s*=\s*[\w"'[(]|^\s*(?:def|class|function|import|from|return|const|let|var|public|private|#include)\b|^\s*(?:SELECT|INSERT|UPDATE|DELETE)\b/;
// An indented list item ("  - milk", "  2. eggs") is prose laid out, not code.
const LIST_ITEM_RE = /^\s*(?:[-*+•]|\d+[.)])\s/;

// Letters, digits, spaces and sentence punctuation: what is left are the symbols. Brackets are
// kept ("(2+3)*4" / "2+(3*4)"); markdown emphasis and dashes are typography, not symbols.
const NOT_SYMBOL_RE = /[\p{L}\p{N}\s.,?!;:'"\u2018\u2019\u201c\u201d\uff1f\uff01]/gu;
const TYPOGRAPHY_RE = /(?<=\p{L})-(?=\p{L})|\*\*|__|[\u2013\u2014]|(?<=\s)--(?=\s)/gu;
const OPERATOR_RE = /[+\-*/<>=^%&|]/;

function symbolsOf(text: string): string {
  return text.replace(TYPOGRAPHY_RE, '').replace(NOT_SYMBOL_RE, '');
}

/** Words and symbols in order, without spaces and sentence punctuation: "isx<y". */
function orderOf(text: string): string {
  return text
    .replace(TYPOGRAPHY_RE, '')
    .toLowerCase()
    .replace(/[\s.,?!;:'"\u2018\u2019\u201c\u201d\uff1f\uff01]/gu, '');
}

interface Line {
  readonly text: string;
  readonly code: boolean;
}

/** Lines with trailing blanks removed (leading ones kept: indentation is code), empty lines
 * dropped, each marked code when it is fenced, has strong code signs, or in a multi-line prompt is
 * indented or has weak ones. */
function linesOf(text: string): Line[] {
  const raw = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  const multiLine = raw.filter((l) => l.length > 0).length > 1;
  const out: Line[] = [];
  let fenced = false;
  for (const line of raw) {
    if (FENCE_RE.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (line.length === 0) continue;
    const snippet = multiLine && ((/^[ \t]+\S/.test(line) && !LIST_ITEM_RE.test(line)) || WEAK_SIGNS_RE.test(line));
    out.push({ text: line, code: fenced || snippet || STRONG_SIGNS_RE.test(line) });
  }
  return out;
}

function inlineCode(text: string): string[] {
  return [...text.matchAll(INLINE_CODE_RE)].map((m) => m[1]!.trim()).sort();
}

/** The first code line one side has and the other lacks, or undefined. */
function codeLineMissing(from: readonly Line[], other: readonly Line[]): string | undefined {
  const counts = new Map<string, number>();
  for (const l of other) counts.set(l.text, (counts.get(l.text) ?? 0) + 1);
  for (const l of from) {
    const n = counts.get(l.text) ?? 0;
    if (n > 0) counts.set(l.text, n - 1);
    else if (l.code) return l.text.trim();
  }
  return undefined;
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function sortedWords(text: TokenizedText): string {
  return text.tokens
    .map((t) => t.lower)
    .sort()
    .join(' ');
}

// Superscripts, subscripts, fractions, circled numbers: the tokeniser folds "3²" into "32" (NFKC),
// so words alone cannot tell "What is 3²?" from "What is 32?".
const OTHER_NUMBER_RE = /\p{No}/gu;
// Quoted or backticked text, whose spaces are data: "'a    b'" is not "'a b'". A single quote
// counts only when no letter touches it from outside (apostrophes: "don't", "it's").
const QUOTED_SPAN_RE = /"[^"\n]*"|`[^`\n]*`|(?<!\p{L})'[^'\n]*'(?!\p{L})/gu;

function spansOf(text: string, re: RegExp): string {
  return [...text.matchAll(re)].map((m) => m[0]).join('\u0000');
}

/** Why two prompts with the same words differ in their symbols, or undefined. */
function symbolChange(a: TokenizedText, b: TokenizedText): string | undefined {
  if (spansOf(a.text, OTHER_NUMBER_RE) !== spansOf(b.text, OTHER_NUMBER_RE))
    return 'numbers written with other characters (superscripts, subscripts, fractions)';
  if (a.tokens.length !== b.tokens.length) return undefined;
  const sa = symbolsOf(a.text);
  const sb = symbolsOf(b.text);
  if (a.tokens.every((t, i) => t.lower === b.tokens[i]!.lower)) {
    if (sa !== sb) return `only symbols differ: "${shorten(sa)}" vs "${shorten(sb)}"`;
    return spansOf(a.text, QUOTED_SPAN_RE) === spansOf(b.text, QUOTED_SPAN_RE) ? undefined : 'quoted text differs in its spaces';
  }
  if (!OPERATOR_RE.test(sa) || sortedWords(a) !== sortedWords(b)) return undefined;
  return orderOf(a.text) === orderOf(b.text) ? undefined : 'the same words and operators in another order';
}

export const codeGuard = defineTokenGuard('code', (query, candidate) => {
  const change = symbolChange(query, candidate);
  if (change !== undefined) return reject(change);
  const spansA = inlineCode(query.text);
  const spansB = inlineCode(candidate.text);
  if (spansA.join('\n') !== spansB.join('\n')) return reject('inline code differs');
  const a = linesOf(query.text);
  const b = linesOf(candidate.text);
  const line = codeLineMissing(a, b) ?? codeLineMissing(b, a);
  return line === undefined ? PASS : reject(`code differs: "${shorten(line)}"`);
});
