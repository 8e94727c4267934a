import { describe, expect, it } from 'vitest';
import { toUnitVector } from '../../src/embed/unit-vector.js';

describe('toUnitVector', () => {
  it('scales a vector to length 1 keeping its direction', () => {
    expect(Array.from(toUnitVector([3, 4]))).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('returns a copy, leaving the input untouched', () => {
    const input = Float32Array.of(2, 0);
    const output = toUnitVector(input);
    expect(Array.from(input)).toEqual([2, 0]);
    expect(output.buffer).not.toBe(input.buffer);
  });

  it('leaves an all-zero vector at zero instead of dividing by zero', () => {
    expect(Array.from(toUnitVector([0, 0, 0]))).toEqual([0, 0, 0]);
  });
});
