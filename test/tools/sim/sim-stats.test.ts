import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import { REQUEST_LOG_LIMIT, type SimStats } from '../../../src/tools/sim/sim-stats.js';
import { CHAT_PATH, chatBody, postJson } from './sim-test-client.js';

let sim: SimUpstream;
beforeAll(async () => {
  sim = await startSimUpstream();
});
afterAll(() => sim.close());
beforeEach(async () => {
  expect((await fetch(`${sim.origin}/sim/reset`, { method: 'POST' })).status).toBe(204);
});

describe('simulator stats', () => {
  it('count requests per path and completed responses', async () => {
    await (await postJson(sim.origin, CHAT_PATH, chatBody('a'))).arrayBuffer();
    await (await postJson(sim.origin, CHAT_PATH, chatBody('b', { stream: true }))).arrayBuffer();
    await (await fetch(`${sim.url}/models?limit=1`)).arrayBuffer();
    expect(sim.stats.byPath).toEqual({ [CHAT_PATH]: 2, '/v1/models': 1 });
    expect([sim.stats.total, sim.stats.completed, sim.stats.aborted]).toEqual([3, 3, 0]);
  });

  it('keep the last headers as received, authorization included, without requiring it', async () => {
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('a'), { authorization: 'Bearer sk-test-123', 'x-tenant': 't1' });
    expect(response.status).toBe(200);
    expect(sim.stats.lastHeaders).toMatchObject({ authorization: 'Bearer sk-test-123', 'x-tenant': 't1' });
  });

  it('keep the last parsed body and a log of requests', async () => {
    await postJson(sim.origin, CHAT_PATH, chatBody('first'));
    await postJson(sim.origin, '/v1/embeddings', { model: 'e', input: 'second' });
    expect(sim.stats.lastBody).toEqual({ model: 'e', input: 'second' });
    expect(sim.stats.requests.map((r) => [r.path, r.body])).toEqual([
      [CHAT_PATH, chatBody('first')],
      ['/v1/embeddings', { model: 'e', input: 'second' }],
    ]);
  });

  it('bound the request log to the last 100', async () => {
    for (let i = 0; i < REQUEST_LOG_LIMIT + 5; i++) await (await fetch(`${sim.url}/models`)).arrayBuffer();
    expect(sim.stats.requests).toHaveLength(REQUEST_LOG_LIMIT);
    expect(sim.stats.total).toBe(REQUEST_LOG_LIMIT + 5);
  });

  it('are served as JSON on GET /sim/stats, which does not count itself', async () => {
    await postJson(sim.origin, CHAT_PATH, chatBody('a'), { authorization: 'Bearer k' });
    const served = (await (await fetch(`${sim.origin}/sim/stats`)).json()) as SimStats;
    expect(served.byPath).toEqual({ [CHAT_PATH]: 1 });
    expect(served.lastHeaders?.authorization).toBe('Bearer k');
    expect(served.lastBody).toEqual(chatBody('a'));
  });

  it('are zeroed in place by POST /sim/reset', async () => {
    const stats = sim.stats;
    await postJson(sim.origin, CHAT_PATH, chatBody('a'));
    await fetch(`${sim.origin}/sim/reset`, { method: 'POST' });
    expect(sim.stats).toBe(stats);
    expect([stats.total, stats.byPath, stats.requests, stats.lastBody]).toEqual([0, {}, [], null]);
  });
});
