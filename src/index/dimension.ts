// Vectors of another length would be silently truncated or padded by the scoring loops and by
// hnswlib's float conversion; failing loudly points at the mismatched embedder instead.

import { SemcacheError } from '../errors.js';

export function assertDimension(expected: number, vector: Float32Array): void {
  if (vector.length !== expected) {
    throw new SemcacheError('SEMCACHE_ERR_INTERNAL', `vector has dimension ${vector.length}, the index expects ${expected}`);
  }
}
