// Keeps the k best-scoring items seen so far, best first. Insertion into a small sorted array: k is a
// handful for cache lookups, so this beats a heap and allocates nothing per offer.

export interface Scored {
  readonly id: number;
  readonly score: number;
}

export interface TopK {
  offer(id: number, score: number): void;
  /** The kept items, highest score first. */
  sorted(): Scored[];
}

export function createTopK(k: number): TopK {
  const limit = Math.max(0, Math.floor(k));
  const ids: number[] = [];
  const scores: number[] = [];

  function offer(id: number, score: number): void {
    if (limit === 0) return;
    if (scores.length === limit && score <= (scores[limit - 1] ?? -Infinity)) return;
    let at = scores.length;
    while (at > 0 && (scores[at - 1] ?? -Infinity) < score) at--;
    ids.splice(at, 0, id);
    scores.splice(at, 0, score);
    if (scores.length > limit) {
      ids.pop();
      scores.pop();
    }
  }

  function sorted(): Scored[] {
    return ids.map((id, i) => ({ id, score: scores[i] ?? -Infinity }));
  }

  return { offer, sorted };
}
