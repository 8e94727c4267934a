import { describe, expect, it } from 'vitest';
import { rollFault } from '../../../src/tools/sim/fault-dice.js';
import { parseFaultHeader } from '../../../src/tools/sim/fault-header.js';
import { createPrng } from '../../../src/tools/sim/prng.js';

describe('x-sim-fault header', () => {
  it('reads every knob', () => {
    expect(parseFaultHeader('error=503, error-rate=0.5,stall=2000,reset-rate=0.25,cut=3,ttft=100,tps=20,salt=abc,tokens=12')).toEqual({
      ok: true,
      overrides: {
        errorStatus: 503,
        errorRate: 0.5,
        stallMs: 2000,
        resetRate: 0.25,
        cutAfterChunks: 3,
        ttftMs: 100,
        tokensPerSecond: 20,
        answerSalt: 'abc',
        answerTokens: 12,
      },
    });
  });

  it('reads topic, which makes answers independent of the prompt', () => {
    expect(parseFaultHeader('topic=password-reset,salt=v2')).toEqual({ ok: true, overrides: { answerTopic: 'password-reset', answerSalt: 'v2' } });
  });

  it('makes error=S alone fail every request', () => {
    expect(parseFaultHeader('error=429')).toEqual({ ok: true, overrides: { errorStatus: 429, errorRate: 1 } });
  });

  it('makes a bare reset reset every request', () => {
    expect(parseFaultHeader('reset')).toEqual({ ok: true, overrides: { resetRate: 1 } });
  });

  it('changes nothing when absent', () => {
    expect(parseFaultHeader(undefined)).toEqual({ ok: true, overrides: {} });
  });

  it('refuses unknown items and bad values, naming each', () => {
    expect(parseFaultHeader('explode,error=200,cut=1.5')).toEqual({
      ok: false,
      message:
        "invalid x-sim-fault header: unknown item 'explode'; 'error=200': expected an integer in [400, 599]; " +
        "'cut=1.5': expected an integer in [0, 1000000000]",
    });
  });
});

describe('fault dice', () => {
  it('never fires at rate 0 and always at rate 1, without rolling', () => {
    let rolls = 0;
    const counting = (): number => {
      rolls++;
      return 0;
    };
    expect(rollFault({ resetRate: 0, errorRate: 0 }, counting)).toBe('none');
    expect(rollFault({ resetRate: 0, errorRate: 1 }, counting)).toBe('error');
    expect(rollFault({ resetRate: 1, errorRate: 1 }, counting)).toBe('reset');
    expect(rolls).toBe(0);
  });

  it('fires a share close to the rate, the same sequence for the same seed', () => {
    const roll = (seed: number): string[] => {
      const next = createPrng(seed);
      return Array.from({ length: 1000 }, () => rollFault({ resetRate: 0, errorRate: 0.3 }, next));
    };
    const outcomes = roll(42);
    const errors = outcomes.filter((o) => o === 'error').length;
    expect(errors).toBeGreaterThan(250);
    expect(errors).toBeLessThan(350);
    expect(roll(42)).toEqual(outcomes);
  });
});
