// The soak's traffic against a real proxy and the simulated upstream: every kind of bad body gets a
// 4xx in OpenAI's shape, and the misbehaving clients (headers sent slowly, a stream dropped after its
// first chunk, a long stream read slowly) are sent and read as the soak means them, and judged so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerBook } from '../../../src/tools/bench/soak/answer-book.js';
import { BAD_BODY_KINDS, badBodyAt } from '../../../src/tools/bench/soak/bad-bodies.js';
import { judge } from '../../../src/tools/bench/soak/judge.js';
import { createSoakClient, type SoakClient } from '../../../src/tools/bench/soak/soak-client.js';
import { createSoakPlan, type SoakKind } from '../../../src/tools/bench/soak/soak-plan.js';
import { createSoakPrompts } from '../../../src/tools/bench/soak/soak-prompts.js';
import { createPrng } from '../../../src/tools/sim/prng.js';
import { handEmbedder } from '../../helpers/hand-embedder.js';
import { startStack, type Stack } from '../../helpers/stack.js';

const BODY_LIMIT = 64 * 1024;
let stack: Stack;
let client: SoakClient;
const book = createAnswerBook('sim-model');
const next = createPrng(7);
const prompts = createSoakPrompts({ fromFile: [], next, prefix: 'soak test: ' });
const plan = createSoakPlan({ model: 'sim-model', upstreamTimeoutMs: 2000, bodyLimitBytes: BODY_LIMIT }, prompts, book, next);

beforeAll(async () => {
  stack = await startStack({
    env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_SEMANTIC: 'false', SEMCACHE_BODY_LIMIT_BYTES: String(BODY_LIMIT) },
    deps: { embedder: handEmbedder(new Map()) },
  });
  client = createSoakClient(stack.origin, 4);
});
afterAll(async () => {
  await client.close();
  await stack.close();
});

async function sendAndJudge(kind: SoakKind) {
  const request = plan(kind);
  const seen = await client.send(request);
  return {
    request,
    seen,
    judgement: judge({ prompt: request.prompt, stream: request.stream, expect: request.expect, sameGroup: (p) => p === request.prompt }, seen, book),
  };
}

describe('soak traffic against the proxy', () => {
  it("gets a 4xx in OpenAI's shape for every kind of bad body", async () => {
    for (let kind = 0; kind < BAD_BODY_KINDS; kind++) {
      const bad = badBodyAt(kind, next, BODY_LIMIT);
      const seen = await client.send({
        kind: 'bad-body',
        path: bad.endpoint === 'chat' ? '/v1/chat/completions' : '/v1/completions',
        stream: false,
        prompt: undefined,
        headers: { 'content-type': bad.contentType },
        body: bad.body,
        expect: { kind: 'bad-body' },
        delivery: 'normal',
      });
      expect([bad.name, judge({ prompt: undefined, stream: false, expect: { kind: 'bad-body' }, sameGroup: () => false }, seen, book)]).toEqual([
        bad.name,
        { outcome: 'client-error', cause: 'badBody' },
      ]);
    }
    expect(stack.sim.stats.total).toBe(0);
  });

  it('answers a client that sends its headers a line at a time', async () => {
    const { judgement, seen } = await sendAndJudge('slow-headers');
    expect(judgement).toMatchObject({ outcome: 'answered' });
    expect(seen.ending).toBe('end');
  });

  it('ends a stream dropped after its first chunk as a client abort, storing nothing', async () => {
    const before = stack.sim.stats.aborted;
    const { judgement, request } = await sendAndJudge('client-abort');
    expect(judgement).toEqual({ outcome: 'client-error', cause: 'clientAbort' });
    await expect.poll(() => stack.sim.stats.aborted).toBe(before + 1);
    // Asked again, whole this time: a miss, so nothing was stored from the dropped stream.
    const again = await client.send({ ...request, headers: { 'content-type': 'application/json' }, delivery: 'normal', expect: { kind: 'answer' } });
    expect(again.headers['x-semcache-status']).toBe('miss');
  });

  it('delivers a long stream whole to a client that reads it slowly', async () => {
    const { judgement, seen } = await sendAndJudge('slow-read');
    expect(judgement).toMatchObject({ outcome: 'answered' });
    expect(seen.body.length).toBeGreaterThan(300_000);
  });
});
