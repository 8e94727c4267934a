// Scoring of the stream mode, pure: a hit is correct when the stored prompt's intent is the
// query's (the same text when the file has no intents); recall counts the requests that could have
// hit correctly, i.e. a prompt of the same intent had been stored before the request was sent.

export interface StreamOutcome {
  readonly hit: boolean;
  readonly exact: boolean;
  readonly correct: boolean;
  /** A prompt of the same intent was in the cache when the request was sent. */
  readonly hittable: boolean;
  readonly repeat: boolean;
}

export interface StreamScore {
  readonly requests: number;
  readonly repeats: number;
  readonly hits: number;
  readonly exactHits: number;
  readonly correctHits: number;
  readonly wrongHits: number;
  readonly hittable: number;
  readonly hitRate: number | null;
  readonly precision: number | null;
  /** correctHits / hittable requests */
  readonly recall: number | null;
  /** wrongHits / requests */
  readonly falseHitRate: number | null;
}

export interface StreamWindow {
  /** Requests [from, to) in send order. */
  readonly from: number;
  readonly to: number;
  readonly hitRate: number | null;
  readonly precision: number | null;
  /** Hit rate of every request up to `to`. */
  readonly cumulativeHitRate: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function scoreStream(outcomes: readonly StreamOutcome[]): StreamScore {
  let hits = 0;
  let exactHits = 0;
  let correctHits = 0;
  let hittable = 0;
  let repeats = 0;
  for (const o of outcomes) {
    if (o.repeat) repeats++;
    if (o.hittable) hittable++;
    if (!o.hit) continue;
    hits++;
    if (o.exact) exactHits++;
    if (o.correct) correctHits++;
  }
  return {
    requests: outcomes.length,
    repeats,
    hits,
    exactHits,
    correctHits,
    wrongHits: hits - correctHits,
    hittable,
    hitRate: ratio(hits, outcomes.length),
    precision: ratio(correctHits, hits),
    recall: ratio(correctHits, hittable),
    falseHitRate: ratio(hits - correctHits, outcomes.length),
  };
}

export function streamWindows(outcomes: readonly StreamOutcome[], count: number): StreamWindow[] {
  const windows: StreamWindow[] = [];
  const n = Math.max(1, Math.min(count, outcomes.length));
  let cumulativeHits = 0;
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * outcomes.length) / n);
    const to = Math.floor(((i + 1) * outcomes.length) / n);
    const score = scoreStream(outcomes.slice(from, to));
    cumulativeHits += score.hits;
    windows.push({ from, to, hitRate: score.hitRate, precision: score.precision, cumulativeHitRate: ratio(cumulativeHits, to) });
  }
  return windows;
}
