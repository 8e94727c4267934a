// The verdict store against a real upstream (the simulator): checks of one key made at the same
// time share one call, verdicts expire, the store keeps a bounded number of keys, and the
// organisation and project a key is used with are part of what a verdict is about.
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyVerdicts, verdictKeyOf } from '../../src/pipeline/key-verdicts.js';
import { startSimUpstream, type SimUpstream } from '../../src/tools/sim/sim-app.js';
import { createUpstream, type Upstream } from '../../src/upstream/upstream.js';

let sim: SimUpstream | undefined;
let upstream: Upstream | undefined;
afterEach(async () => {
  await upstream?.dispatcher.close();
  await sim?.close();
  [sim, upstream] = [undefined, undefined];
});

async function verdictsOn(options: { stallMs?: number; refusedKeys?: string[]; checkTimeoutMs?: number; now?: () => number; maxVerdicts?: number }) {
  sim = await startSimUpstream({ stallMs: options.stallMs ?? 0, refusedKeys: options.refusedKeys ?? [] });
  upstream = createUpstream({ url: new URL(sim.url), timeoutMs: 10_000, connections: 8 });
  const checked: string[] = [];
  const verdicts = createKeyVerdicts({
    upstream,
    checkPath: '/models',
    checkTimeoutMs: options.checkTimeoutMs ?? 5_000,
    ttlMs: 60_000,
    onCheck: (r) => checked.push(r),
    ...options,
  });
  return { verdicts, checked, sim };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('key verdicts', () => {
  it('makes one upstream call for checks of one key made at the same time', async () => {
    const { verdicts, checked, sim } = await verdictsOn({ stallMs: 150 });
    const results = await Promise.all(Array.from({ length: 8 }, () => verdicts.check('k1', bearer('sk-1'))));
    expect(results.map((r) => r.kind)).toEqual(Array(8).fill('accepted'));
    expect([sim.stats.byPath['/v1/models'], checked]).toEqual([1, ['accepted']]);
    expect(verdicts.verdict('k1')).toBe(true);
  });

  it("keeps a refused key's answer as the upstream sent it", async () => {
    const { verdicts } = await verdictsOn({ refusedKeys: ['sk-bad'] });
    const result = await verdicts.check('bad', bearer('sk-bad'));
    expect(result.kind).toBe('refused');
    if (result.kind !== 'refused') return;
    expect([result.statusCode, result.headers['content-type']]).toEqual([401, 'application/json; charset=utf-8']);
    expect(JSON.parse(result.body.toString('utf8'))).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    expect(verdicts.verdict('bad')).toBe(false);
  });

  it('says nothing, and remembers nothing, when the check times out', async () => {
    const { verdicts } = await verdictsOn({ stallMs: 1_000, checkTimeoutMs: 50 });
    expect(await verdicts.check('slow', bearer('sk-slow'))).toEqual({ kind: 'unknown', reason: 'timeout' });
    expect(verdicts.verdict('slow')).toBeUndefined();
  });

  it('learns from forwarded answers and forgets verdicts older than the TTL', async () => {
    const clock = { now: 1_000 };
    const { verdicts } = await verdictsOn({ now: () => clock.now });
    verdicts.learn('a', 200);
    verdicts.learn('b', 403);
    verdicts.learn('c', 500);
    expect([verdicts.verdict('a'), verdicts.verdict('b'), verdicts.verdict('c')]).toEqual([true, false, undefined]);
    clock.now += 60_000;
    expect([verdicts.verdict('a'), verdicts.verdict('b')]).toEqual([undefined, undefined]);
  });

  it('keeps at most maxVerdicts keys, dropping the oldest verdict first', async () => {
    const { verdicts } = await verdictsOn({ maxVerdicts: 3 });
    for (const key of ['a', 'b', 'c']) verdicts.learn(key, 200);
    verdicts.learn('a', 200); // renewed: b is now the oldest
    verdicts.learn('d', 200);
    expect([verdicts.size, verdicts.verdict('b'), verdicts.verdict('a'), verdicts.verdict('d')]).toEqual([3, undefined, true, true]);
  });

  it('keys a verdict by the key hash, and by the organisation and project when they are sent', () => {
    expect(verdictKeyOf('0123456789abcdef', {})).toBe('0123456789abcdef');
    const withProject = verdictKeyOf('0123456789abcdef', { 'openai-project': 'proj_a' });
    expect(withProject).toMatch(/^[0-9a-f]{16}$/);
    expect(withProject).not.toBe(verdictKeyOf('0123456789abcdef', { 'openai-project': 'proj_b' }));
    expect(withProject).not.toBe(verdictKeyOf('0123456789abcdef', { 'openai-organization': 'proj_a' }));
  });
});
