// The SentencePiece (unigram) tokenizer of Universal Sentence Encoder lite, ported from
// @energetic-ai/embeddings 0.2.0 (itself from tensorflow/tfjs-models universal-sentence-encoder,
// Apache-2.0), so the ONNX backend gets the very token ids the TF.js path feeds its model without
// loading TensorFlow.js. Kept step for step, quirks included, because a different id changes the vector:
// - a position whose best score is exactly 0 counts as not yet reached;
// - the walk back from the end moves by the chosen piece's length in UTF-16 units, not in symbols;
// - an unknown symbol is id 0 with score 0, and runs of unknown ids collapse into one.
// One change: prefix searches walk from an offset instead of copying the rest of the text at every
// position (the original's slice made tokenising quadratic in the text's length).

/** A vocabulary entry: [piece, score]; the first RESERVED entries are control symbols. */
export type VocabularyEntry = readonly [string, number];

const SEPARATOR = '\u2581';
const RESERVED_SYMBOLS = 6;

interface Piece {
  /** Length in symbols (code points). */
  readonly symbols: number;
  readonly score: number;
  readonly id: number;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  piece: Piece | undefined;
}

const newNode = (): TrieNode => ({ children: new Map(), piece: undefined });

export interface SentencePieceTokenizer {
  encode(text: string): number[];
}

export function createSentencePieceTokenizer(vocabulary: readonly VocabularyEntry[]): SentencePieceTokenizer {
  const root = newNode();
  for (let id = RESERVED_SYMBOLS; id < vocabulary.length; id++) {
    const [text, score] = vocabulary[id] as VocabularyEntry;
    let node = root;
    let symbols = 0;
    for (const symbol of text) {
      let child = node.children.get(symbol);
      if (child === undefined) {
        child = newNode();
        node.children.set(symbol, child);
      }
      node = child;
      symbols++;
    }
    // A repeated piece takes the later entry's score and id, as the original's trie does.
    if (symbols > 0) node.piece = { symbols, score, id };
  }

  /** Pieces that start at `start`, shortest first; an unknown single symbol when none does. */
  function prefixes(symbols: readonly string[], start: number): Piece[] {
    const found: Piece[] = [];
    let node = root.children.get(symbols[start] ?? '');
    for (let i = start; i < symbols.length && node !== undefined; i++) {
      if (node.piece !== undefined) found.push(node.piece);
      node = node.children.get(symbols[i + 1] ?? '');
    }
    if (found.length === 0) found.push({ symbols: 1, score: 0, id: 0 });
    return found;
  }

  return {
    encode(text) {
      const normalized = text.normalize('NFKC');
      const input = normalized.length > 0 ? SEPARATOR + normalized.replace(/ /g, SEPARATOR) : normalized;
      const symbols = Array.from(input);
      // endings[end] lists, by start position, the pieces spanning [start, end).
      const endings: Map<number, Piece[]>[] = Array.from({ length: symbols.length + 1 }, () => new Map());
      for (let start = 0; start < symbols.length; start++) {
        for (const piece of prefixes(symbols, start)) {
          const byStart = endings[start + piece.symbols] as Map<number, Piece[]>;
          const list = byStart.get(start);
          if (list === undefined) byStart.set(start, [piece]);
          else list.push(piece);
        }
      }
      const best = new Float64Array(symbols.length + 1);
      const words = new Int32Array(symbols.length + 1);
      for (let end = 0; end <= symbols.length; end++) {
        const byStart = endings[end] as Map<number, Piece[]>;
        // The original walks an object's integer keys, which JavaScript orders ascending.
        for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
          for (const piece of byStart.get(start) ?? []) {
            const score = piece.score + (best[end - piece.symbols] ?? 0);
            if (best[end] === 0 || score >= (best[end] ?? 0)) {
              best[end] = score;
              words[end] = piece.id;
            }
          }
        }
      }
      const reversed: number[] = [];
      for (let at = symbols.length; at > 0;) {
        const id = words[at] ?? 0;
        reversed.push(id);
        at -= (vocabulary[id]?.[0] ?? ' ').length;
      }
      const ids: number[] = [];
      let previousUnknown = false;
      for (const id of reversed) {
        if (!(previousUnknown && id === 0)) ids.push(id);
        previousUnknown = id === 0;
      }
      return ids.reverse();
    },
  };
}
