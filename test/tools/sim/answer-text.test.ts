import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAnswerSeed, generateAnswer, simAnswerText } from '../../../src/tools/sim/answer-text.js';

const source = { model: 'sim-model', prompt: 'What is a semantic cache?', salt: '' };

describe('simulated answers', () => {
  it('start with a marker that names the prompt and the digest of model, prompt and salt', () => {
    const tag = createHash('sha256').update('sim-model\u0000What is a semantic cache?\u0000').digest('hex').slice(0, 8);
    expect(simAnswerText(source, { answerTokens: 48 }).startsWith(`[sim:${tag}] Answer to: What is a semantic cache? -- `)).toBe(true);
  });

  it('are the same for the same request', () => {
    expect(simAnswerText(source, { answerTokens: 48 })).toBe(simAnswerText({ ...source }, { answerTokens: 48 }));
  });

  it('differ when the prompt, the model or the salt differs', () => {
    const base = simAnswerText(source, { answerTokens: 48 });
    const others = [
      simAnswerText({ ...source, prompt: 'What is a vector index?' }, { answerTokens: 48 }),
      simAnswerText({ ...source, model: 'other-model' }, { answerTokens: 48 }),
      simAnswerText({ ...source, salt: 'v2' }, { answerTokens: 48 }),
    ];
    expect(new Set([base, ...others]).size).toBe(4);
  });

  it('have exactly answerTokens pieces, the marker included, and finish with stop', () => {
    const answer = generateAnswer(createAnswerSeed(source), { choiceIndex: 0, answerTokens: 30 });
    expect(answer.pieces).toHaveLength(30);
    expect(answer.pieces.slice(0, 9).join('')).toBe(`[sim:${createAnswerSeed(source).tag}] Answer to: What is a semantic cache? --`);
    expect(answer.finishReason).toBe('stop');
  });

  it('are cut to maxTokens with finish reason length', () => {
    const answer = generateAnswer(createAnswerSeed(source), { choiceIndex: 0, answerTokens: 30, maxTokens: 4 });
    expect(answer).toEqual({ pieces: [`[sim:${createAnswerSeed(source).tag}]`, ' Answer', ' to:', ' What'], finishReason: 'length' });
  });

  it('finish with stop when maxTokens is not below the answer length', () => {
    const answer = generateAnswer(createAnswerSeed(source), { choiceIndex: 0, answerTokens: 30, maxTokens: 30 });
    expect([answer.pieces.length, answer.finishReason]).toEqual([30, 'stop']);
  });

  it('keep the whole marker when the prompt is longer than the answer length', () => {
    const long = { ...source, prompt: 'word '.repeat(100).trim() };
    const answer = generateAnswer(createAnswerSeed(long), { choiceIndex: 0, answerTokens: 10 });
    expect(answer.pieces.join('')).toBe(`[sim:${createAnswerSeed(long).tag}] Answer to: ${long.prompt} --`);
    expect(answer.finishReason).toBe('stop');
  });

  it('give different pseudo-words for different choice indexes, with the same marker', () => {
    const seed = createAnswerSeed(source);
    const first = generateAnswer(seed, { choiceIndex: 0, answerTokens: 40 }).pieces;
    const second = generateAnswer(seed, { choiceIndex: 1, answerTokens: 40 }).pieces;
    expect(second.slice(0, 9)).toEqual(first.slice(0, 9));
    expect(second.slice(9)).not.toEqual(first.slice(9));
  });

  it('reproduce multi-line prompts exactly in the marker', () => {
    const multi = { ...source, prompt: 'line one\n\n  line two' };
    expect(simAnswerText(multi, { answerTokens: 30 })).toContain(`[sim:${createAnswerSeed(multi).tag}] Answer to: line one\n\n  line two -- `);
  });
});
