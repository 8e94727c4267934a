import { describe, expect, it } from 'vitest';
import { streamPieces } from '../../src/openai/render-response.js';

describe('streamPieces', () => {
  it('cuts an answer into pieces of three words that join back to it exactly', () => {
    const text = '  Paris is the capital\nof France, and its largest city. ';
    const pieces = streamPieces(text);
    expect(pieces).toEqual(['  Paris is the ', 'capital\nof France, ', 'and its largest ', 'city. ']);
    expect(pieces.join('')).toBe(text);
  });

  it('sends a blank answer as one piece, however long (quadratic)', () => {
    const blank = '\n'.repeat(300_000);
    expect(streamPieces(blank)).toEqual([blank]);
    expect(streamPieces('')).toEqual([]);
  });
});
