// The dashboard's money format (its static tables.js, loaded as the browser loads it).
import { describe, expect, it } from 'vitest';

const TABLES = new URL('../../src/dashboard/static/tables.js', import.meta.url).href;
const { usd } = (await import(TABLES)) as { usd: (value: number | null | undefined) => string };

describe('dashboard money format', () => {
  it('shows dollars to the millionth', () => {
    expect(usd(0.25)).toBe('$0.250000');
    expect(usd(0.0000004)).toBe('$0.000000');
    expect(usd(12.3456789)).toBe('$12.345679');
  });

  it('puts the sign before the symbol, and shows no sign on what rounds to zero', () => {
    expect(usd(-0.5)).toBe('-$0.500000');
    expect(usd(-0.0000004)).toBe('$0.000000');
    expect(usd(-0.0000006)).toBe('-$0.000001');
  });

  it('shows a dash when there is no figure', () => {
    expect(usd(null)).toBe('–');
    expect(usd(undefined)).toBe('–');
  });
});
