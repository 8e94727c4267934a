// Deterministic unit vectors for index tests: a seeded generator, so a failure reproduces exactly.

export interface VectorSource {
  unit(): Float32Array;
  /** A unit vector close to `base`: base plus Gaussian-ish noise of the given scale, renormalised. */
  near(base: Float32Array, noise: number): Float32Array;
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

export function createVectorSource(dimension: number, seed = 42): VectorSource {
  // mulberry32: tiny, seeded, good enough for test data.
  let state = seed >>> 0;
  function random(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  return {
    unit() {
      const vector = new Float32Array(dimension);
      for (let i = 0; i < dimension; i++) vector[i] = gaussian();
      return normalise(vector);
    },
    near(base, noise) {
      const vector = new Float32Array(dimension);
      for (let i = 0; i < dimension; i++) vector[i] = (base[i] ?? 0) + noise * gaussian();
      return normalise(vector);
    },
  };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
