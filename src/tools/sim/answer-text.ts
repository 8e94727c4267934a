// The simulated model's answers: a pure function of (model, prompt, salt, choice index), so a test
// can tell which prompt an answer was made for, and whether the cache or the upstream produced it.
//
// An answer is a list of pieces, one token each. It starts with a readable marker
//   [sim:<first 8 hex of sha256(model, prompt, salt)>] Answer to: <prompt> --
// (split into whitespace-led words, one token per word) followed by pseudo-words drawn from a
// generator seeded by the same digest and the choice index, until `answerTokens` pieces. A prompt
// whose marker is already longer than that gets the whole marker and no pseudo-words. `max_tokens`
// cuts the list, and then the finish reason is "length".

import { createHash } from 'node:crypto';
import { createPrng } from './prng.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface AnswerSource {
  model: string;
  /** The last user message's text (chat) or the prompt (legacy completions). */
  prompt: string;
  salt: string;
}

export interface AnswerSeed {
  /** First 8 hex digits of the digest; appears in the marker. */
  tag: string;
  markerPieces: readonly string[];
  wordSeed: number;
}

export interface GeneratedAnswer {
  pieces: string[];
  finishReason: FinishReason;
}

const WORDS = [
  'amber',
  'basin',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'glade',
  'harbor',
  'island',
  'jasper',
  'kernel',
  'lantern',
  'meadow',
  'nectar',
  'orbit',
  'prairie',
  'quartz',
  'river',
  'summit',
  'timber',
  'upland',
  'valley',
  'willow',
  'xenon',
  'yonder',
  'zephyr',
  'anchor',
  'beacon',
  'canyon',
  'dune',
  'echo',
  'falcon',
  'granite',
  'horizon',
  'inlet',
  'juniper',
  'kestrel',
  'lagoon',
  'marble',
  'nimbus',
  'oasis',
  'pebble',
  'quiver',
  'ridge',
  'spruce',
  'tundra',
  'umber',
  'vortex',
  'wander',
  'yarrow',
  'zenith',
  'aurora',
  'breeze',
  'cobalt',
  'drift',
  'estuary',
  'flint',
  'grove',
  'heron',
  'ivory',
  'jetty',
  'kelp',
  'lichen',
  'mist',
] as const;

// A marker piece is a run of whitespace and the word after it, so joining the pieces gives the
// marker back exactly (the marker never ends in whitespace).
const PIECE_PATTERN = /\s*\S+/g;

/** The digest's input has separators, so ("ab", "c") and ("a", "bc") differ. */
function answerDigest(source: AnswerSource): Buffer {
  return createHash('sha256').update(`${source.model}\u0000${source.prompt}\u0000${source.salt}`).digest();
}

function answerMarker(tag: string, prompt: string): string {
  return `[sim:${tag}] Answer to: ${prompt} --`;
}

export function createAnswerSeed(source: AnswerSource): AnswerSeed {
  const digest = answerDigest(source);
  const tag = digest.toString('hex', 0, 4);
  return {
    tag,
    markerPieces: answerMarker(tag, source.prompt).match(PIECE_PATTERN) ?? [],
    wordSeed: digest.readUInt32LE(4),
  };
}

export interface GenerateOptions {
  choiceIndex: number;
  answerTokens: number;
  /** `max_completion_tokens` ?? `max_tokens`; undefined = no limit. */
  maxTokens?: number | undefined;
}

export function generateAnswer(seed: AnswerSeed, options: GenerateOptions): GeneratedAnswer {
  const natural = Math.max(options.answerTokens, seed.markerPieces.length);
  const limit = options.maxTokens === undefined ? natural : Math.min(natural, options.maxTokens);
  const pieces = seed.markerPieces.slice(0, limit);
  // Golden-ratio stride keeps the choices' seeds far apart.
  const next = createPrng(seed.wordSeed ^ Math.imul(options.choiceIndex, 0x9e3779b9));
  while (pieces.length < limit) pieces.push(` ${WORDS[Math.floor(next() * WORDS.length)] ?? WORDS[0]}`);
  return { pieces, finishReason: limit < natural ? 'length' : 'stop' };
}

/** The full text the simulator answers for `source`, for tests that predict it. */
export function simAnswerText(source: AnswerSource, options: Partial<GenerateOptions> & Pick<GenerateOptions, 'answerTokens'>): string {
  return generateAnswer(createAnswerSeed(source), { choiceIndex: 0, ...options }).pieces.join('');
}
