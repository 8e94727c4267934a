// The order a stream is replayed in: the file's prompts in order, with, before each, a chance of
// repeating an earlier prompt instead. The repeated prompt is drawn from a Zipf distribution over
// the prompts seen so far, ranked by first appearance (rank k has weight 1/k^s), so a few early
// prompts become the popular ones, as in real traffic. Seeded, so a run is reproducible.
import { createPrng } from '../sim/prng.js';

export interface SequenceSettings {
  /** Probability (0..1) that the next request repeats an earlier prompt. */
  readonly repeatRate: number;
  /** Zipf exponent s. */
  readonly zipfS: number;
  readonly seed: number;
}

export interface SequenceStep {
  /** Index into the file's prompts. */
  readonly index: number;
  readonly repeat: boolean;
}

export function streamSequence(count: number, settings: SequenceSettings): SequenceStep[] {
  const next = createPrng(settings.seed);
  const cumulative: number[] = [];
  const steps: SequenceStep[] = [];
  let fresh = 0;
  // A repeat rate of 1 would never reach the next fresh prompt: cap it.
  const repeatRate = Math.min(Math.max(settings.repeatRate, 0), 0.95);
  while (fresh < count) {
    if (cumulative.length > 0 && next() < repeatRate) {
      steps.push({ index: drawRank(cumulative, next()), repeat: true });
      continue;
    }
    cumulative.push((cumulative.at(-1) ?? 0) + 1 / Math.pow(cumulative.length + 1, settings.zipfS));
    steps.push({ index: fresh++, repeat: false });
  }
  return steps;
}

/** The first rank whose cumulative weight exceeds u x total (binary search). */
function drawRank(cumulative: readonly number[], u: number): number {
  const target = u * (cumulative.at(-1) ?? 0);
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cumulative[mid] ?? 0) > target) high = mid;
    else low = mid + 1;
  }
  return low;
}
