// The Embedder contract promises unit-length vectors, so cosine similarity is a plain inner product in
// the index. Backends normalise here rather than trusting each model's own output.

/** Copies `values` into a new Float32Array scaled to length 1 (an all-zero input stays all zeros). */
export function toUnitVector(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let sumOfSquares = 0;
  for (const v of out) sumOfSquares += v * v;
  if (sumOfSquares === 0) return out;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) * scale;
  return out;
}

/** Cosine similarity of two unit vectors: their inner product. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}
