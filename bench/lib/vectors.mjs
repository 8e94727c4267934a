// Seeded random unit vectors for the index benches: the same seed gives the same vectors, so runs
// and builds compare on the same data.

/** `n` unit vectors of `dimension` components, uniform in each component before normalising. */
export function seededUnitVectors(n, seed, dimension) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dimension }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
