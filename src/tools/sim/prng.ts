// Small seeded generator for the simulator's deterministic choices (pseudo-words, embedding
// components, fault dice). mulberry32: 32-bit state, fast, and good enough for test data; it is not
// for anything that needs real randomness.

export type Prng = () => number;

/** Returns a generator of floats in [0, 1), fully determined by `seed`. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
