// pairs: store every distinct text_a (cache-control: no-cache, so stored texts never hit each
// other), then ask every text_b without storing (no-store) at the sweep's lowest threshold, and
// score the outcomes at the run's threshold and at every threshold of the sweep. When the run's
// threshold is above that floor, the text_b are asked once more at the run's threshold: the money
// figures are that pass's (the floor pass is left out), and its hits check the derived figures.
import { createAnswerSources, type AnswerSources } from './answer-source.js';
import { isHit } from './bench-client.js';
import type { Headline, ModeContext } from './mode-context.js';
import { reportWrongHits, type FeedbackOutcome } from './feedback-pass.js';
import { createTokenTally, snapshotDelta, snapshotSum, type CostSnapshot, type TokenTally } from './money.js';
import { sameMeaningOf, type PairRow, type SameMeaning } from './pairs-file.js';
import { recommendThreshold, scoreKinds, scorePairs, sweepThresholds, type KindScore, type PairOutcome, type PairsScore } from './pairs-score.js';
import { createProgress } from './progress.js';
import { runPool } from './run-pool.js';
import { REQUEST_HEADER } from '../../semcache-headers.js';

export interface PairsSettings {
  readonly sweepStep: number;
  readonly targetPrecision: number;
  readonly feedback: boolean;
}

export interface PairsDetails {
  readonly storedTexts: number;
  /** Requests that did not answer 200 (not counted as hits). */
  readonly failedRequests: number;
  /** Hits whose answer could not be traced to a stored text (counted as wrong). */
  readonly untracedHits: number;
  /** Queries whose nearest candidate a guard rejected, by guard (at the sweep's floor). */
  readonly guardRejections: Readonly<Record<string, number>>;
  readonly score: PairsScore;
  /** Hits the proxy served when asked at the run's threshold (null when that is the floor): the
   * derived `score` should match, up to the similarity header's 4 decimals. */
  readonly measuredAtThreshold: { readonly hits: number; readonly correctHits: number } | null;
  readonly sweep: readonly PairsScore[];
  readonly targetPrecision: number;
  /** The sweep's threshold with the most recall at the target precision, if any reaches it. */
  readonly recommended: PairsScore | null;
  /** With --feedback true: the wrong hits at the run's threshold reported, and what the same
   * queries got when asked again. */
  readonly feedback: FeedbackOutcome | null;
  /** Hits at the run's threshold by the rows' group (the file's fourth column); empty without one. */
  readonly byKind: readonly KindScore[];
}

export interface PairsRun {
  readonly headline: Headline;
  readonly details: PairsDetails;
  /** What the proxy counted for the floor pass, to leave out of the money figures. */
  readonly uncounted: CostSnapshot | undefined;
}

interface AskPass {
  outcomes: PairOutcome[];
  /** Hits that came from an entry of another meaning, with the entry they came from. */
  wrong: Array<{ prompt: string; entryId: number | undefined }>;
  failed: number;
  untraced: number;
  guards: Record<string, number>;
}

async function ask(
  context: ModeContext,
  rows: readonly PairRow[],
  judge: { sources: AnswerSources<string>; sameMeaning: SameMeaning },
  threshold: number,
  tally: TokenTally,
): Promise<AskPass> {
  const pass: AskPass = { outcomes: [], wrong: [], failed: 0, untraced: 0, guards: {} };
  const headers = { 'cache-control': 'no-store', [REQUEST_HEADER.threshold]: String(threshold) };
  const progress = createProgress(context.progress, `pairs: asking text_b at ${threshold}`, rows.length);
  // Outcomes are kept in the file's order, whatever order the answers come in: the tables by kind
  // list kinds as the file first names them.
  const position = new Map(rows.map((row, i) => [row, i] as const));
  const byRow: (PairOutcome | undefined)[] = new Array<PairOutcome | undefined>(rows.length);
  await runPool(rows, context.concurrency, context.signal, async (row) => {
    const result = await context.client.complete(context.stack.proxyUrl, row.textB, headers);
    tally.add(result);
    const failed = result.statusCode !== 200;
    if (failed) pass.failed++;
    if (result.guard !== undefined) pass.guards[result.guard] = (pass.guards[result.guard] ?? 0) + 1;
    const hit = !failed && isHit(result.cacheStatus);
    const source = hit ? judge.sources.sourceOf(result.content) : undefined;
    if (hit && source === undefined) pass.untraced++;
    const correct = source !== undefined && judge.sameMeaning.same(row.textB, source);
    const similarity = result.supported ?? result.similarity;
    const outcome: PairOutcome = { label: row.label, status: failed ? undefined : result.cacheStatus, similarity, correct, failed };
    byRow[position.get(row) ?? 0] = row.kind === undefined ? outcome : { ...outcome, kind: row.kind };
    if (hit && !correct && (similarity ?? 0) >= threshold) pass.wrong.push({ prompt: row.textB, entryId: result.entryId });
    progress.tick();
  });
  progress.done();
  for (const outcome of byRow) if (outcome !== undefined) pass.outcomes.push(outcome);
  return pass;
}

export async function runPairs(context: ModeContext, rows: readonly PairRow[], settings: PairsSettings): Promise<PairsRun> {
  const stored = [...new Set(rows.map((row) => row.textA))];
  const storedSet = new Set(stored);
  const judge = { sameMeaning: sameMeaningOf(rows), sources: createAnswerSources((prompt) => (storedSet.has(prompt) ? prompt : undefined)) };
  let storeFailures = 0;

  const storing = createProgress(context.progress, 'pairs: storing text_a', stored.length);
  await runPool(stored, context.concurrency, context.signal, async (text) => {
    const result = await context.client.complete(context.stack.proxyUrl, text, { 'cache-control': 'no-cache' });
    context.tally.add(result);
    if (result.statusCode === 200) judge.sources.record(result.content, text);
    else storeFailures++;
    storing.tick();
  });
  storing.done();

  const twoPasses = context.threshold > context.thresholdFloor;
  const before = twoPasses ? await context.snapshot() : undefined;
  const floorPass = await ask(context, rows, judge, context.thresholdFloor, twoPasses ? createTokenTally() : context.tally);
  let uncounted: CostSnapshot | undefined;
  let measuredAtThreshold: PairsDetails['measuredAtThreshold'] = null;
  let runPass = floorPass;
  if (before !== undefined && !context.signal.aborted) {
    uncounted = snapshotDelta(await context.snapshot(), before);
    runPass = await ask(context, rows, judge, context.threshold, context.tally);
    const hits = runPass.outcomes.filter((o) => isHit(o.status));
    measuredAtThreshold = { hits: hits.length, correctHits: hits.filter((o) => o.correct).length };
  }
  let feedback: FeedbackOutcome | null = null;
  if (settings.feedback && !context.signal.aborted) {
    // Feedback and the queries asked again are a measurement: left out of the money figures.
    const beforeFeedback = await context.snapshot();
    feedback = await reportWrongHits(context, runPass.wrong, async (prompt) => {
      const again = await context.client.complete(context.stack.proxyUrl, prompt, {
        'cache-control': 'no-store',
        [REQUEST_HEADER.threshold]: String(context.threshold),
      });
      if (again.statusCode !== 200 || !isHit(again.cacheStatus)) return 'miss';
      const source = judge.sources.sourceOf(again.content);
      return source !== undefined && judge.sameMeaning.same(prompt, source) ? 'correct' : 'wrong';
    });
    const spent = snapshotDelta(await context.snapshot(), beforeFeedback);
    uncounted = uncounted === undefined ? spent : snapshotSum(uncounted, spent);
  }

  // Asked at the run's threshold itself when it is above the floor: exact, not derived.
  const score = scorePairs(runPass.outcomes, context.threshold);
  const sweep = sweepThresholds(context.thresholdFloor, settings.sweepStep).map((t) => scorePairs(floorPass.outcomes, t));
  return {
    headline: { precision: score.precision, recall: score.recall, hitRate: score.hitRate, falseHitRate: score.falseHitRate },
    details: {
      storedTexts: stored.length,
      failedRequests: storeFailures + floorPass.failed,
      untracedHits: floorPass.untraced,
      guardRejections: floorPass.guards,
      score,
      measuredAtThreshold,
      sweep,
      targetPrecision: settings.targetPrecision,
      recommended: recommendThreshold(sweep, settings.targetPrecision) ?? null,
      feedback,
      byKind: scoreKinds(runPass.outcomes, context.threshold),
    },
    uncounted,
  };
}
