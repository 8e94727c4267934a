// A CP1KT target breached by real traffic: the webhook (a real HTTP server on loopback) gets the
// breach, requests of the configured use case and low-priority requests go to a second simulated
// upstream with the cheaper model, and routing returns to the primary when CP1KT falls back under
// the target, by cheap traffic or by the window moving past the expensive traffic (injected clock).
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src/embed/embedder.js';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { useEmbedder } from '../../helpers/shared-embedder.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { value } from '../metrics-fixtures.js';
import {
  ANSWER_TOKENS,
  ask,
  promptTokens,
  scrape,
  series,
  T0,
  startWebhookReceiver,
  writePricingFile,
  type Ask,
  type Answer,
  type PricingFile,
  type WebhookReceiver,
} from './finops-stack.js';
import { RECOVERY_RATIO } from '../../../src/finops/cp1kt-targets.js';

const BIG = { model: 'big-model', inputPerMTok: 10, outputPerMTok: 30 };
const SMALL = { model: 'small-model', inputPerMTok: 0.1, outputPerMTok: 0.1 };
/** USD per 1,000 tokens: one big-model answer alone (about 0.025) is far above it. */
const TARGET = 0.005;
const WINDOW_SECONDS = 3600;

const big = (question: string): number => (promptTokens(question) * BIG.inputPerMTok + ANSWER_TOKENS * BIG.outputPerMTok) / 1e6;
const small = (question: string): number => (promptTokens(question) * SMALL.inputPerMTok + ANSWER_TOKENS * SMALL.outputPerMTok) / 1e6;
const tokensOf = (question: string): number => promptTokens(question) + ANSWER_TOKENS;

interface RoutingStack {
  readonly stack: Stack;
  readonly cheap: SimUpstream;
  readonly receiver: WebhookReceiver;
  readonly pricing: PricingFile;
  readonly clock: { now: number };
  readonly client: OpenAI;
  close(): Promise<void>;
}

let embedder: Embedder;
let current: RoutingStack | undefined;

async function startRoutingStack(): Promise<RoutingStack> {
  const pricing = writePricingFile({
    models: [
      { kind: 'api', ...BIG },
      { kind: 'api', ...SMALL },
    ],
    targets: [{ scope: 'overall', cp1ktUsd: TARGET }],
  });
  const cheap = await startSimUpstream();
  const receiver = await startWebhookReceiver();
  const clock = { now: T0 };
  const stack = await startStack({
    env: {
      SEMCACHE_LOG_LEVEL: 'silent',
      SEMCACHE_PRICING_FILE: pricing.path,
      SEMCACHE_CP1KT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      SEMCACHE_USE_CASES: 'support,batch',
      SEMCACHE_CP1KT_WEBHOOK_URL: receiver.url,
      SEMCACHE_ROUTE_CHEAP_UPSTREAM_URL: cheap.url,
      SEMCACHE_ROUTE_CHEAP_MODEL: SMALL.model,
      SEMCACHE_ROUTE_USE_CASES: 'batch',
    },
    deps: { embedder, now: () => clock.now },
  });
  const client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-routing', maxRetries: 0 });
  return {
    stack,
    cheap,
    receiver,
    pricing,
    clock,
    client,
    async close() {
      await stack.close();
      await cheap.close();
      await receiver.close();
      pricing.remove();
    },
  };
}

const chatCalls = (sim: SimUpstream): number => sim.stats.byPath['/v1/chat/completions'] ?? 0;

/** Sends one request and says which simulator received it. */
async function send(r: RoutingStack, request: Omit<Ask, 'model'>): Promise<Answer & { reached: 'primary' | 'cheap' | 'neither' }> {
  const before = { primary: chatCalls(r.stack.sim), cheap: chatCalls(r.cheap) };
  const answer = await ask(r.client, { model: BIG.model, ...request });
  const primary = chatCalls(r.stack.sim) - before.primary;
  const cheap = chatCalls(r.cheap) - before.cheap;
  const reached = primary === 1 && cheap === 0 ? 'primary' : cheap === 1 && primary === 0 ? 'cheap' : 'neither';
  return { ...answer, reached };
}

async function breachGauge(r: RoutingStack): Promise<number> {
  return value(await scrape(r.stack), 'semcache_cp1kt_breach', { scope: 'overall', name: 'all' });
}

beforeAll(async () => {
  embedder = await useEmbedder();
});
afterEach(async () => {
  await current?.close();
  current = undefined;
});
afterAll(async () => {
  await embedder.close();
});

describe('CP1KT target breach', () => {
  it('fires the webhook, moves the configured use case and low priority to the cheap upstream, and moves back when cheap traffic brings CP1KT under target', async () => {
    const r = (current = await startRoutingStack());
    const first = 'Summarise our refund policy.';

    // One big-model answer puts the window's CP1KT far above the target.
    const opening = await send(r, { question: first, useCase: 'support' });
    expect(opening).toMatchObject({ status: 'miss', route: 'primary', reached: 'primary', model: BIG.model });
    const breach = await r.receiver.next();
    expect(breach).toEqual({
      event: 'breach',
      dimension: { scope: 'overall', name: 'all' },
      target: TARGET,
      observed: (big(first) / tokensOf(first)) * 1000,
      window: { seconds: WINDOW_SECONDS },
      at: new Date(T0).toISOString(),
    });
    expect(await breachGauge(r)).toBe(1);

    // A use case that is not configured for routing stays on the primary during the breach.
    const support = 'Explain the difference between TCP and UDP.';
    expect(await send(r, { question: support, useCase: 'support' })).toMatchObject({ status: 'miss', route: 'primary', reached: 'primary' });

    // The configured use case and a low-priority request go to the cheap upstream with the cheap model.
    const batch = await send(r, { question: 'Batch job 0', useCase: 'batch' });
    expect(batch).toMatchObject({ status: 'miss', route: 'cheap', reached: 'cheap', model: SMALL.model });
    expect(r.cheap.stats.lastBody).toMatchObject({ model: SMALL.model });
    const low = await send(r, { question: 'Low priority job', priority: 'low' });
    expect(low).toMatchObject({ status: 'miss', route: 'cheap', reached: 'cheap', model: SMALL.model });

    // Cheap traffic lowers the windowed CP1KT; predict how many cheap requests bring it under the
    // recovery line (RECOVERY_RATIO of the target: recovery has a margin, so routing cannot flap).
    let spend = big(first) + big(support) + small('Batch job 0') + small('Low priority job');
    let tokens = tokensOf(first) + tokensOf(support) + tokensOf('Batch job 0') + tokensOf('Low priority job');
    let predicted = 0;
    while ((spend / tokens) * 1000 > TARGET * RECOVERY_RATIO) {
      predicted += 1;
      spend += small(`Batch job ${predicted}`);
      tokens += tokensOf(`Batch job ${predicted}`);
    }
    const cheapRoutes: string[] = [];
    for (let i = 1; i <= predicted; i += 1) {
      const sent = await send(r, { question: `Batch job ${i}`, useCase: 'batch' });
      cheapRoutes.push(`${sent.route}/${sent.reached}`);
    }
    expect(cheapRoutes).toEqual(Array.from({ length: predicted }, () => 'cheap/cheap'));
    const recovery = await r.receiver.next();
    expect(recovery).toMatchObject({ event: 'recovery', dimension: { scope: 'overall', name: 'all' }, target: TARGET });
    expect(recovery.observed).toBeCloseTo((spend / tokens) * 1000, 15);
    expect(await breachGauge(r)).toBe(0);

    // Back under target: the configured use case goes to the primary again. Its big-model answer
    // lifts the window above the target once more: a new breach.
    expect(await send(r, { question: 'Batch job after recovery', useCase: 'batch' })).toMatchObject({
      status: 'miss',
      route: 'primary',
      reached: 'primary',
      model: BIG.model,
    });
    expect((await r.receiver.next()).event).toBe('breach');

    const samples = await scrape(r.stack);
    expect(series(samples, 'semcache_route_total', ['route'])).toEqual({ primary: 3, cheap: 2 + predicted });
    expect(series(samples, 'semcache_tokens_processed_total', ['model', 'type'])['small-model|output']).toBe((2 + predicted) * ANSWER_TOKENS);
    expect(r.receiver.pending()).toEqual([]);
  });

  it('does not cache an answer of the cheap route for the primary model', async () => {
    const r = (current = await startRoutingStack());
    await send(r, { question: 'Summarise our refund policy.', useCase: 'support' });
    await r.receiver.next();
    const question = 'Batch job that must not be cached';

    const during = await send(r, { question, useCase: 'batch' });
    const again = await send(r, { question, useCase: 'batch' });

    expect(during).toMatchObject({ status: 'miss', reached: 'cheap' });
    expect(again).toMatchObject({ status: 'miss', reached: 'cheap' });
  });

  it('moves low priority back to the primary when the window has moved past the expensive traffic', async () => {
    const r = (current = await startRoutingStack());
    await send(r, { question: 'Summarise our refund policy.', useCase: 'support' });
    expect((await r.receiver.next()).event).toBe('breach');
    expect(await send(r, { question: 'Low priority job', priority: 'low' })).toMatchObject({ route: 'cheap', reached: 'cheap' });

    // A value leaves the window between 59/60 and 60/60 of a window after it was added.
    r.clock.now = T0 + WINDOW_SECONDS * 1000;
    const after = await send(r, { question: 'Another low priority job', priority: 'low' });

    expect(after).toMatchObject({ status: 'miss', route: 'primary', reached: 'primary', model: BIG.model });
    // The recovery, then a new breach: the primary answer just sent is above the target in the new
    // window. Deliveries keep the order of the events.
    expect(await r.receiver.next()).toEqual({
      event: 'recovery',
      dimension: { scope: 'overall', name: 'all' },
      target: TARGET,
      observed: null,
      window: { seconds: WINDOW_SECONDS },
      at: new Date(T0 + WINDOW_SECONDS * 1000).toISOString(),
    });
    expect((await r.receiver.next()).event).toBe('breach');
    expect(series(await scrape(r.stack), 'semcache_route_total', ['route'])).toEqual({ primary: 2, cheap: 1 });
  });
});
