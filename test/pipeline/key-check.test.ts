// Keys checked before hits, through the official SDK and the simulated upstream refusing keys as
// OpenAI does: a key the upstream refuses gets the upstream's own 401 and never a hit; a key a
// forwarded request proved gets hits with no extra upstream call; a revoked key stops getting hits
// once its verdict is older than the TTL.
import OpenAI, { APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { handEmbedder } from '../helpers/hand-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { parsePrometheus, value } from '../finops/metrics-fixtures.js';

const embedder = handEmbedder(new Map());
const GOOD = 'sk-good-0001';
const OTHER = 'sk-other-0002';
const REVOKED = 'sk-revoked-0003';
const QUESTION = 'What are the opening hours?';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function start(env: Record<string, string> = {}, options: { refusedKeys?: string[]; now?: () => number } = {}): Promise<Stack> {
  stack = await startStack({
    // The exact tier alone: the hand-made embedder puts every prompt at one point.
    env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_SHARED_NAMESPACES: 'faq', SEMCACHE_SEMANTIC: 'false', ...env },
    sim: { refusedKeys: options.refusedKeys ?? [REVOKED] },
    deps: { embedder, ...(options.now === undefined ? {} : { now: options.now }) },
  });
  return stack;
}

interface Answer {
  readonly status: number;
  readonly cache: string | null;
  readonly reason: string | null;
  readonly content: string | undefined;
  readonly error: APIError | undefined;
}

/** One chat request through the SDK with this key (none: the anonymous tenant), maybe in a namespace. */
async function ask(s: Stack, key: string | undefined, namespace?: string, question = QUESTION): Promise<Answer> {
  const client = new OpenAI({ baseURL: s.baseURL, apiKey: key ?? 'unused', maxRetries: 0 });
  const headers: Record<string, string | null> = namespace === undefined ? {} : { 'x-semcache-namespace': namespace };
  if (key === undefined) headers.authorization = null;
  try {
    const { data, response } = await client.chat.completions
      .create({ model: 'sim-model', messages: [{ role: 'user', content: question }] }, { headers })
      .withResponse();
    return {
      status: response.status,
      cache: response.headers.get('x-semcache-status'),
      reason: response.headers.get('x-semcache-bypass-reason'),
      content: data.choices[0]?.message.content ?? undefined,
      error: undefined,
    };
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    return {
      status: error.status ?? 0,
      cache: error.headers?.get('x-semcache-status') ?? null,
      reason: error.headers?.get('x-semcache-bypass-reason') ?? null,
      content: undefined,
      error,
    };
  }
}

const calls = (s: Stack, path: string): number => s.sim.stats.byPath[path] ?? 0;
/** Key checks the upstream received for this key. */
const checks = (s: Stack, key: string): number =>
  s.sim.stats.requests.filter((r) => r.path === '/v1/models' && r.headers.authorization === `Bearer ${key}`).length;
const metric = async (s: Stack, name: string, labels: Record<string, string>): Promise<number> => {
  const samples = parsePrometheus(await (await fetch(`${s.origin}/metrics`)).text());
  return samples.some((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) ? value(samples, name, labels) : 0;
};

describe('keys checked before hits', () => {
  it("gives a refused key the upstream's own 401, not the shared namespace's entry, and counts it", async () => {
    const s = await start();
    expect((await ask(s, GOOD, 'faq')).cache).toBe('miss');
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');

    const refused = await ask(s, REVOKED, 'faq');

    expect(refused.error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect([refused.status, refused.error?.code, refused.cache, refused.reason]).toEqual([401, 'invalid_api_key', 'bypass', 'key-refused']);
    // Byte for byte what the upstream answers that key.
    const direct = await fetch(`${s.sim.url}/models`, { headers: { authorization: `Bearer ${REVOKED}` } });
    const raw = await fetch(`${s.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REVOKED}`, 'x-semcache-namespace': 'faq', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: QUESTION }] }),
    });
    expect([raw.status, await raw.text()]).toEqual([direct.status, await direct.text()]);
    // One check for the key (and the direct call above); the second request, its verdict known,
    // went upstream as it was.
    expect([checks(s, REVOKED), calls(s, '/v1/chat/completions')]).toEqual([2, 2]);
    expect(await metric(s, 'semcache_key_checks_total', { result: 'refused' })).toBe(1);
    expect(await metric(s, 'semcache_key_refusals_total', { reason: 'key-refused' })).toBe(2);
    expect(await (await fetch(`${s.origin}/metrics`)).text()).not.toContain(REVOKED);
  });

  it('serves a key proven by a forwarded request with no extra upstream call', async () => {
    const s = await start();
    expect((await ask(s, OTHER, 'faq')).cache).toBe('miss');
    expect((await ask(s, GOOD, undefined, 'A question of its own?')).cache).toBe('miss'); // its 200 proves the key
    const upstreamCalls = s.sim.stats.total;

    expect((await ask(s, GOOD, 'faq')).cache).toBe('exact-hit');
    expect((await ask(s, GOOD, 'faq')).cache).toBe('exact-hit');

    expect(s.sim.stats.total).toBe(upstreamCalls);
    expect(checks(s, GOOD)).toBe(0);
  });

  it('checks a first-seen key once, then serves it from its verdict until the TTL', async () => {
    const clock = { now: Date.now() };
    const s = await start({ SEMCACHE_KEY_VERDICT_TTL_SECONDS: '60' }, { now: () => clock.now });
    await ask(s, GOOD, 'faq');
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');
    expect(checks(s, OTHER)).toBe(1);
    // The check carries the key, and nothing of the request besides.
    const check = s.sim.stats.requests.find((r) => r.path === '/v1/models' && r.headers.authorization === `Bearer ${OTHER}`);
    expect([check?.headers['x-semcache-namespace'], check?.headers['content-type'], check?.body]).toEqual([undefined, undefined, null]);

    clock.now += 61_000;
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');
    expect(checks(s, OTHER)).toBe(2);
  });

  it('with SEMCACHE_VERIFY_KEYS=all, stops a revoked key getting its own entries once its verdict is older than the TTL', async () => {
    const clock = { now: Date.now() };
    const s = await start({ SEMCACHE_VERIFY_KEYS: 'all', SEMCACHE_KEY_VERDICT_TTL_SECONDS: '60' }, { refusedKeys: [], now: () => clock.now });
    expect((await ask(s, GOOD)).cache).toBe('miss');
    await fetch(`${s.sim.origin}/sim/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refuse: [GOOD] }) });
    expect((await ask(s, GOOD)).cache).toBe('exact-hit'); // within the TTL of the verdict its miss earned

    clock.now += 61_000;
    const revoked = await ask(s, GOOD);

    expect([revoked.status, revoked.error?.code, revoked.cache]).toEqual([401, 'invalid_api_key', 'bypass']);
    expect(calls(s, '/v1/chat/completions')).toBe(1);
  });

  it("by default, serves a key's own entries without a check, and keeps a key known to be refused from them", async () => {
    const clock = { now: Date.now() };
    const s = await start({ SEMCACHE_KEY_VERDICT_TTL_SECONDS: '60' }, { refusedKeys: [], now: () => clock.now });
    await ask(s, GOOD);
    await fetch(`${s.sim.origin}/sim/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refuse: [GOOD] }) });
    clock.now += 61_000;
    expect((await ask(s, GOOD)).cache).toBe('exact-hit');
    expect(calls(s, '/v1/models')).toBe(0);

    // A forwarded request's 401 teaches the verdict: no more hits for that key, even its own.
    expect((await ask(s, GOOD, undefined, 'Something new?')).status).toBe(401);
    const after = await ask(s, GOOD);
    expect([after.status, after.cache, after.reason]).toEqual([401, 'bypass', 'key-refused']);
  });

  it('checks the anonymous tenant too: hits while the upstream takes calls without a key, none once it requires one', async () => {
    const clock = { now: Date.now() };
    const s = await start({ SEMCACHE_KEY_VERDICT_TTL_SECONDS: '60' }, { now: () => clock.now });
    expect((await ask(s, undefined)).cache).toBe('miss');
    expect((await ask(s, undefined)).cache).toBe('exact-hit');
    await fetch(`${s.sim.origin}/sim/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requireKey: true }) });
    clock.now += 61_000;

    const anonymous = await ask(s, undefined);

    expect([anonymous.status, anonymous.cache, anonymous.reason]).toEqual([401, 'bypass', 'key-refused']);
    expect(anonymous.error?.message).toContain("You didn't provide an API key");
  });

  it('keeps feedback from a refused key off the shared entries', async () => {
    const s = await start();
    await ask(s, GOOD, 'faq');
    const hit = await fetch(`${s.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OTHER}`, 'x-semcache-namespace': 'faq', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: QUESTION }] }),
    });
    const entryId = hit.headers.get('x-semcache-entry-id') ?? '';
    const feedback = await fetch(`${s.baseURL}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${REVOKED}`,
        'x-semcache-namespace': 'faq',
        'x-semcache-feedback': 'wrong',
        'x-semcache-entry-id': entryId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: QUESTION }] }),
    });
    expect([feedback.status, feedback.headers.get('x-semcache-feedback')]).toEqual([401, null]);
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');
  });

  it('fails closed for a shared namespace when the upstream cannot say: the request goes upstream, whose 200 then proves the key', async () => {
    const s = await start({ SEMCACHE_KEY_CHECK_PATH: '/no-such-route' });
    expect((await ask(s, GOOD, 'faq')).reason).toBe('key-unchecked');
    expect((await ask(s, GOOD, 'faq')).cache).toBe('miss'); // proven by the 200 above: it may store

    const unchecked = await ask(s, OTHER, 'faq');

    expect([unchecked.status, unchecked.cache, unchecked.reason]).toEqual([200, 'bypass', 'key-unchecked']);
    expect(unchecked.content).toContain(`Answer to: ${QUESTION}`);
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');
    expect(await metric(s, 'semcache_key_checks_total', { result: 'unknown' })).toBe(2);
    expect(await metric(s, 'semcache_key_refusals_total', { reason: 'key-unchecked' })).toBe(2);
  });

  it('fails open when the operator says so (SEMCACHE_UNCHECKED_KEY_HITS=all), even with the upstream down', async () => {
    const s = await start({ SEMCACHE_UNCHECKED_KEY_HITS: 'all' });
    await ask(s, GOOD, 'faq');
    await s.sim.close();
    expect((await ask(s, OTHER, 'faq')).cache).toBe('exact-hit');
  });

  it('fails closed with the upstream down by default: the request gets the 502 a miss would', async () => {
    const s = await start();
    await ask(s, GOOD, 'faq');
    await s.sim.close();
    const down = await ask(s, OTHER, 'faq');
    expect([down.status, down.error?.code, down.cache]).toEqual([502, 'SEMCACHE_ERR_UPSTREAM_UNREACHABLE', null]);
  });

  it('with SEMCACHE_VERIFY_KEYS=off, serves a refused key from the shared namespace (a gateway in front checks keys)', async () => {
    const s = await start({ SEMCACHE_VERIFY_KEYS: 'off' });
    await ask(s, GOOD, 'faq');
    expect((await ask(s, REVOKED, 'faq')).cache).toBe('exact-hit');
    expect(calls(s, '/v1/models')).toBe(0);
  });
});
