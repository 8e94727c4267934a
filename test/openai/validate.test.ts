import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../src/openai/validate.js';

const nest = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const body = (extra: string): Buffer => Buffer.from(`{"model":"m","messages":[{"role":"user","content":"x"}],"extra":${extra}}`);

describe('parseJsonBody nesting limit', () => {
  it('accepts 64 levels and refuses 65, counting the body object itself', () => {
    expect(() => parseJsonBody(body(nest(63)))).not.toThrow();
    expect(() => parseJsonBody(body(nest(64)))).toThrow('The request body is nested more than 64 levels deep.');
  });

  it('refuses a deep body before parsing it (JSON.parse of 5 MB of brackets took 2 s)', () => {
    expect(() => parseJsonBody(Buffer.from('['.repeat(5_000_000)))).toThrow('nested more than 64 levels');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const parsed = parseJsonBody(body(`"${'['.repeat(100)} \\" ${'{'.repeat(100)}"`));
    expect(parsed.extra).toBe(`${'['.repeat(100)} " ${'{'.repeat(100)}`);
    expect(parseJsonBody(body('"\\\\"')).extra).toBe('\\');
  });
});
