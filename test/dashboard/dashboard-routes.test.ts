// The dashboard's routes without a browser: the page and its files (no data, a strict CSP), the data
// routes behind the admin token, the recent lookups the handler's hook records, and their bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, handEmbedder } from '../helpers/hand-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';

const ADMIN = { authorization: 'Bearer dash-secret' };
const embedder = handEmbedder(
  new Map([
    ['Where is my parcel?', at(0)],
    ['Where is my parcel now?', at(0.05)],
    ['Where is my parcel not?', at(0.02)],
  ]),
);

async function chat(stack: Stack, content: string, headers: Record<string, string> = {}): Promise<string | null> {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-one', ...headers },
    body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content }] }),
  });
  await res.arrayBuffer();
  return res.headers.get('x-semcache-status');
}

interface Recent {
  enabled: boolean;
  capacity: number;
  lookups: Array<{
    seq: number;
    kind: string;
    prompt?: string;
    matchedPrompt?: string;
    feedbackPrompt?: string;
    entryId: number;
    similarity: number;
    guard?: string;
    tenant: string;
  }>;
}

describe('dashboard routes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: 'dash-secret', SEMCACHE_RECENT_LOOKUPS: '3', SEMCACHE_THRESHOLD: '0.9' },
      deps: { embedder },
    });
  });
  afterAll(() => stack.close());

  it('serves the page and its files with a CSP that allows only this origin, and nothing else', async () => {
    const page = await fetch(`${stack.origin}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    for (const src of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(src[1]).toMatch(/^(\/dashboard\/|data:,$)/);
    const script = await fetch(`${stack.origin}/dashboard/dashboard.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain("'/admin/dashboard/summary'");
    expect((await fetch(`${stack.origin}/dashboard/..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${stack.origin}/dashboard/other.js`)).status).toBe(404);
  });

  it('answers its data routes only with the admin token', async () => {
    expect((await fetch(`${stack.origin}/admin/dashboard/summary`)).status).toBe(401);
    expect((await fetch(`${stack.origin}/admin/dashboard/recent`, { headers: { authorization: 'Bearer sk-one' } })).status).toBe(401);
    expect((await fetch(`${stack.origin}/admin/dashboard/summary`, { headers: ADMIN })).status).toBe(200);
  });

  it('records hits and near misses from the handler, newest first, bounded', async () => {
    expect(await chat(stack, 'Where is my parcel?')).toBe('miss');
    expect(await chat(stack, 'Where is my parcel?')).toBe('exact-hit');
    expect(await chat(stack, 'Where is my parcel now?')).toBe('semantic-hit');
    // The polarity guard refuses "not" added to a question 0.9998 away.
    expect(await chat(stack, 'Where is my parcel not?')).toBe('miss');
    expect(await chat(stack, 'Something else entirely')).toBe('miss');
    const recent = (await (await fetch(`${stack.origin}/admin/dashboard/recent`, { headers: ADMIN })).json()) as Recent;
    expect(recent).toMatchObject({ enabled: true, capacity: 3 });
    expect(recent.lookups.map((l) => l.kind)).toEqual(['near-miss', 'semantic-hit', 'exact-hit']);
    const [near, semantic, exact] = recent.lookups;
    expect(near).toMatchObject({ prompt: 'Where is my parcel not?', matchedPrompt: 'Where is my parcel?', guard: 'polarity' });
    expect(semantic).toMatchObject({ prompt: 'Where is my parcel now?', matchedPrompt: 'Where is my parcel?', feedbackPrompt: 'Where is my parcel now?' });
    expect(semantic?.entryId).toBe(exact?.entryId);
    expect(exact?.feedbackPrompt).toBeUndefined();
    expect(semantic?.tenant).toMatch(/^[0-9a-f]{16}$/);
    // A fourth lookup pushes the oldest out.
    expect(await chat(stack, 'Where is my parcel?')).toBe('exact-hit');
    const after = (await (await fetch(`${stack.origin}/admin/dashboard/recent`, { headers: ADMIN })).json()) as Recent;
    expect(after.lookups.map((l) => l.seq)).toEqual([(near?.seq ?? 0) + 1, near?.seq, semantic?.seq]);
  });

  it('sums the requests and guard rejections of the metrics registry', async () => {
    const summary = (await (await fetch(`${stack.origin}/admin/dashboard/summary`, { headers: ADMIN })).json()) as {
      requests: Record<string, number>;
      requestsByEndpoint: Record<string, Record<string, number>>;
      guards: Array<{ guard: string; count: number }>;
      latency: Array<{ status: string; count: number }>;
    };
    expect(summary.requests).toEqual({ 'exact-hit': 2, 'semantic-hit': 1, miss: 3, bypass: 0 });
    expect(summary.requestsByEndpoint.chat).toEqual({ 'exact-hit': 2, 'semantic-hit': 1, miss: 3 });
    expect(summary.guards).toEqual([{ guard: 'polarity', count: 1 }]);
    expect(summary.latency.find((l) => l.status === 'miss')?.count).toBe(3);
  });
});

describe('dashboard with recent lookups off', () => {
  it('keeps none, and says so', async () => {
    const stack = await startStack({
      env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: 'dash-secret', SEMCACHE_RECENT_LOOKUPS: '0' },
      deps: { embedder },
    });
    try {
      await chat(stack, 'Where is my parcel?');
      await chat(stack, 'Where is my parcel?');
      expect(await (await fetch(`${stack.origin}/admin/dashboard/recent`, { headers: ADMIN })).json()).toEqual({ enabled: false, capacity: 0, lookups: [] });
    } finally {
      await stack.close();
    }
  });
});
