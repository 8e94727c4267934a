// Text normalisation before the two cache tiers. Both keep everything that can change an answer.
//
// Measured on pairs-dev.tsv (5,000 QQP pairs) with USE-lite: NFKC plus whitespace collapse before
// embedding changes 18 texts and leaves precision and recall at 0.95 and 0.90 exactly as they were
// (it only makes the same text typed two ways embed the same). The exact key keeps more (below). Lower-casing and stripping trailing punctuation before
// embedding lowered both precision and recall, because the trailing "?" carries signal; they are
// not done. Case folding in the exact key made no difference on either data set (no pair or stream
// prompt became equal through it), so the rule decides: the exact tier answers identical questions,
// and case can matter ("convert to UPPERCASE", code, acronyms like "IT" vs "it"); case variants are
// left to the semantic tier.

const WHITESPACE_RE = /\s+/g;
const LINE_BREAK_RE = /\r\n?/g;

/** Key text for the exact tier: Unicode NFC (the same characters encoded two ways), line endings
 * unified, trailing blanks of each line and blank lines at both ends dropped. Everything else is
 * kept: NFKC would make "3²" the key of "32" and "x₁" that of "x1", and collapsing spaces inside a
 * line would make "'a    b'" that of "'a b'" (each would be served the other's answer);
 * line breaks and indentation change code (whether `print(x)` is inside the loop). */
export function normalizeForExact(text: string): string {
  const lines = text.normalize('NFC').replace(LINE_BREAK_RE, '\n').split('\n');
  return (
    lines
      .map((line) => line.trimEnd())
      .join('\n')
      // The lookbehind anchors the trailing run at its first newline: without it a long run of blank
      // lines inside the prompt is retried at every position, quadratic (5 s for 64,000 newlines).
      .replace(/^\n+|(?<!\n)\n+$/g, '')
  );
}

/** Text handed to the embedder: compatibility forms folded (NFKC) and whitespace collapsed, so the
 * same text typed two ways embeds the same. The exact key keeps both (NFC only). */
export function normalizeForEmbedding(text: string): string {
  return text.normalize('NFKC').replace(WHITESPACE_RE, ' ').trim();
}
