import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_OPTIONS, parseSimArgs, SimArgsError } from '../../../src/tools/sim/sim-options.js';

describe('parseSimArgs', () => {
  it('returns the defaults for an empty command line', () => {
    expect(parseSimArgs([])).toEqual({ port: 8000, host: '127.0.0.1', options: { ...DEFAULT_SIM_OPTIONS } });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const args = parseSimArgs([
      '--port',
      '9001',
      '--host=0.0.0.0',
      '--ttft-ms',
      '200',
      '--tps=50',
      '--error-status',
      '503',
      '--error-rate',
      '0.1',
      '--stall-ms',
      '5',
      '--reset-rate=0.2',
      '--cut-after-chunks',
      '3',
      '--answer-tokens',
      '12',
      '--salt',
      'v2',
      '--models',
      'a, b/c',
      '--seed',
      '7',
      '--embedding-dims',
      '32',
      '--refused-keys',
      'sk-x, sk-y',
      '--require-key',
    ]);
    expect(args).toEqual({
      port: 9001,
      host: '0.0.0.0',
      options: {
        ttftMs: 200,
        tokensPerSecond: 50,
        errorStatus: 503,
        errorRate: 0.1,
        stallMs: 5,
        resetRate: 0.2,
        cutAfterChunks: 3,
        answerTokens: 12,
        answerSalt: 'v2',
        answerTopic: '',
        modelIds: ['a', 'b/c'],
        seed: 7,
        embeddingDimensions: 32,
        refusedKeys: ['sk-x', 'sk-y'],
        requireKey: true,
      },
    });
  });

  it('--realistic sets the realistic latency profile', () => {
    const { options } = parseSimArgs(['--realistic']);
    expect([options.ttftMs, options.tokensPerSecond]).toEqual([200, 50]);
  });

  it('lists every bad flag in one error', () => {
    let caught: unknown;
    try {
      parseSimArgs(['--port', 'http', '--error-rate', '1.5', '--bogus', '1', '--tps', '--answer-tokens', '2.5', '--models', ',']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SimArgsError);
    expect((caught as SimArgsError).problems).toEqual([
      "--port: expected an integer in [0, 65535], got 'http'",
      "--error-rate: expected a number in [0, 1], got '1.5'",
      '--bogus: unknown flag',
      '1: unknown flag',
      '--tps: missing value',
      "--answer-tokens: expected an integer in [1, 1000000], got '2.5'",
      "--models: expected a comma list of model ids, got ','",
    ]);
    expect((caught as Error).message).toContain('--error-rate');
  });

  it('does not share the default model list between results', () => {
    parseSimArgs([]).options.modelIds.push('mutated');
    expect(DEFAULT_SIM_OPTIONS.modelIds).toEqual(['sim-model']);
  });
});
