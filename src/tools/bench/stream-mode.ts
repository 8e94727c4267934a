// stream: replay the prompts in order (with optional Zipf-drawn repeats) through the proxy at the
// run's threshold, each request looking up and storing as real traffic does, and score each hit by
// the intent of the prompt the served answer was made for.
import { normalizeForExact } from '../../cache/normalize.js';
import { isHit } from './bench-client.js';
import { createAnswerSources } from './answer-source.js';
import type { Headline, ModeContext } from './mode-context.js';
import { createProgress } from './progress.js';
import { runPool } from './run-pool.js';
import type { StreamPrompt } from './stream-file.js';
import { scoreStream, streamWindows, type StreamOutcome, type StreamScore, type StreamWindow } from './stream-score.js';
import { streamSequence, type SequenceSettings } from './zipf-sequence.js';

export interface StreamSettings extends SequenceSettings {
  readonly windows: number;
}

export interface StreamDetails {
  readonly prompts: number;
  readonly failedRequests: number;
  readonly untracedHits: number;
  readonly repeatRate: number;
  readonly zipfS: number;
  readonly seed: number;
  readonly score: StreamScore;
  readonly windows: readonly StreamWindow[];
}

export interface StreamRun {
  readonly headline: Headline;
  readonly details: StreamDetails;
}

/** What a hit is judged by: the intent, or the text itself when the file has no intents. */
function meaningOf(prompt: StreamPrompt): string {
  return prompt.intent === undefined ? `text:${normalizeForExact(prompt.prompt)}` : `intent:${prompt.intent}`;
}

export async function runStream(context: ModeContext, prompts: readonly StreamPrompt[], settings: StreamSettings): Promise<StreamRun> {
  const { client, stack, signal } = context;
  const byText = new Map(prompts.map((p) => [p.prompt, p] as const));
  const sources = createAnswerSources((text) => byText.get(text));
  const storedMeanings = new Set<string>();
  const steps = streamSequence(prompts.length, settings);
  const outcomes: Array<StreamOutcome | undefined> = new Array<StreamOutcome | undefined>(steps.length);
  let failedRequests = 0;
  let untracedHits = 0;

  const progress = createProgress(context.progress, 'stream', steps.length);
  await runPool(steps, context.concurrency, signal, async (step, i) => {
    const prompt = prompts[step.index];
    if (prompt === undefined) return;
    const meaning = meaningOf(prompt);
    const hittable = storedMeanings.has(meaning);
    const result = await client.complete(stack.proxyUrl, prompt.prompt);
    context.tally.add(result);
    const hit = result.statusCode === 200 && isHit(result.cacheStatus);
    if (result.statusCode !== 200) failedRequests++;
    else if (!hit) {
      sources.record(result.content, prompt);
      storedMeanings.add(meaning);
    }
    const source = hit ? sources.sourceOf(result.content) : undefined;
    if (hit && source === undefined) untracedHits++;
    outcomes[i] = {
      hit,
      exact: result.cacheStatus === 'exact-hit',
      correct: source !== undefined && meaningOf(source) === meaning,
      hittable,
      repeat: step.repeat,
    };
    progress.tick();
  });
  progress.done();

  // An interrupted run scores the requests that were answered.
  const answered = outcomes.filter((o): o is StreamOutcome => o !== undefined);
  const score = scoreStream(answered);
  return {
    headline: { precision: score.precision, recall: score.recall, hitRate: score.hitRate, falseHitRate: score.falseHitRate },
    details: {
      prompts: prompts.length,
      failedRequests,
      untracedHits,
      repeatRate: settings.repeatRate,
      zipfS: settings.zipfS,
      seed: settings.seed,
      score,
      windows: streamWindows(answered, settings.windows),
    },
  };
}
