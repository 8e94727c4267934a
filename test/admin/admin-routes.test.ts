// The admin API: only with the token; look up, delete (a wrong answer removed at once), flush a
// namespace, flush all, and feedback that blocks one wrong pairing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;
let stack: Stack;
const ADMIN = { authorization: 'Bearer admin-secret' };

beforeAll(async () => {
  embedder = await useEmbedder();
  stack = await startStack({
    env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: 'admin-secret', SEMCACHE_SHARED_NAMESPACES: 'faq' },
    deps: { embedder },
  });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
});

async function ask(question: string, headers: Record<string, string> = {}): Promise<{ status: string | null; entryId: string | null }> {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-user', ...headers },
    body: chatRequest(question),
  });
  await res.text();
  return { status: res.headers.get('x-semcache-status'), entryId: res.headers.get('x-semcache-entry-id') };
}

const admin = (method: string, path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${stack.origin}${path}`, { method, ...init, headers: { ...ADMIN, ...(init.headers as Record<string, string> | undefined) } });

describe('admin auth', () => {
  it('answers 401 without the token or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer sk-user' }];
    for (const headers of attempts) {
      const res = await fetch(`${stack.origin}/admin/stats`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string; type: string } }).error).toMatchObject({
        code: 'SEMCACHE_ERR_ADMIN_UNAUTHORIZED',
        type: 'authentication_error',
      });
    }
  });

  it('is disabled (404) when no admin token is configured', async () => {
    const bare = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent' }, deps: { embedder } });
    try {
      const res = await fetch(`${bare.origin}/admin/stats`, { headers: ADMIN });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SEMCACHE_ERR_ADMIN_DISABLED');
    } finally {
      await bare.close();
    }
  });
});

describe('admin operations', () => {
  it('looks up an entry and deletes it, after which the question misses', async () => {
    await ask('What is the refund policy?');
    const hit = await ask('What is the refund policy?');
    expect(hit.status).toBe('exact-hit');
    const entry = (await (await admin('GET', `/admin/entries/${hit.entryId}`)).json()) as { id: number; prompt: string; model: string; hits: number };
    expect(entry).toMatchObject({ id: Number(hit.entryId), prompt: 'What is the refund policy?', model: 'sim-model', hits: 1 });
    expect(JSON.stringify(entry)).not.toContain('sk-user');
    expect((await admin('DELETE', `/admin/entries/${hit.entryId}`)).status).toBe(200);
    expect((await admin('GET', `/admin/entries/${hit.entryId}`)).status).toBe(404);
    expect((await ask('What is the refund policy?')).status).toBe('miss');
  });

  it('flushes one namespace and leaves the others', async () => {
    await ask('Namespaced question one', { 'x-semcache-namespace': 'faq' });
    await ask('Private question two');
    const res = await admin('DELETE', '/admin/namespaces/faq');
    expect(((await res.json()) as { deleted: number }).deleted).toBe(1);
    expect((await ask('Namespaced question one', { 'x-semcache-namespace': 'faq' })).status).toBe('miss');
    expect((await ask('Private question two')).status).toBe('exact-hit');
  });

  it('flushes everything', async () => {
    await ask('Flush me');
    const res = await admin('DELETE', '/admin/entries');
    expect(((await res.json()) as { deleted: number }).deleted).toBeGreaterThan(0);
    const stats = (await (await admin('GET', '/admin/stats')).json()) as { entries: number; vectors: number };
    expect(stats).toMatchObject({ entries: 0, vectors: 0 });
    expect((await ask('Flush me')).status).toBe('miss');
  });

  it('blocks exactly the reported pairing after feedback', async () => {
    const stored = await ask('How do I close my account?');
    const wrong = await ask('How do I close my account today?', { 'x-semcache-threshold': '0.9', 'cache-control': 'no-store' });
    expect(wrong.status).toBe('semantic-hit');
    const res = await admin('POST', '/admin/feedback', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entry_id: Number(wrong.entryId), prompt: 'How do I close my account today?' }),
    });
    expect(res.status).toBe(200);
    expect((await ask('How do I close my account today?', { 'x-semcache-threshold': '0.9', 'cache-control': 'no-store' })).status).toBe('miss');
    expect((await ask('How can I close my account?', { 'x-semcache-threshold': '0.9', 'cache-control': 'no-store' })).status).toBe('semantic-hit');
    expect(stored.status).toBe('miss');
    expect((await ask('How do I close my account?')).entryId).toBe(wrong.entryId);
    // Blocks leave with their entry (they outlived it).
    const blocks = async (): Promise<number> => ((await (await admin('GET', '/admin/stats')).json()) as { feedback_blocks: number }).feedback_blocks;
    expect(await blocks()).toBe(1);
    await admin('DELETE', `/admin/entries/${wrong.entryId}`);
    expect(await blocks()).toBe(0);
  });

  it('lists entries newest first, searched by prompt text and tenant, a page at a time', async () => {
    const tenantOf = async (id: string | null): Promise<string> => ((await (await admin('GET', `/admin/entries/${id}`)).json()) as { tenant: string }).tenant;
    const first = await ask('Listing: how do I reset my PIN?');
    const second = await ask('Listing: how do I order a new card?');
    const other = await ask('Listing: how do I reset my PIN?', { authorization: 'Bearer sk-other' });
    const list = async (query: string) =>
      (await (await admin('GET', `/admin/entries?${query}`)).json()) as { entries: Array<{ id: number; prompt: string }>; next_before: number | null };

    const found = await list('q=LISTING:&limit=10');
    expect(found.entries.map((e) => e.id)).toEqual([Number(other.entryId), Number(second.entryId), Number(first.entryId)]);
    expect(found.next_before).toBeNull();
    expect((await list('q=reset my pin')).entries.map((e) => e.id)).toEqual([Number(other.entryId), Number(first.entryId)]);
    const mine = await list(`q=listing&tenant=${encodeURIComponent(await tenantOf(first.entryId))}`);
    expect(mine.entries.map((e) => e.prompt)).toEqual(['Listing: how do I order a new card?', 'Listing: how do I reset my PIN?']);

    const page1 = await list('q=listing&limit=2');
    expect(page1.entries.map((e) => e.id)).toEqual([Number(other.entryId), Number(second.entryId)]);
    expect(page1.next_before).toBe(Number(second.entryId));
    expect((await list(`q=listing&limit=2&before=${page1.next_before}`)).entries.map((e) => e.id)).toEqual([Number(first.entryId)]);
    expect((await admin('GET', '/admin/entries?limit=0')).status).toBe(400);
    expect((await admin('GET', '/admin/entries?limit=501')).status).toBe(400);
  });

  it('rejects malformed feedback with 400', async () => {
    const res = await admin('POST', '/admin/feedback', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x' }) });
    expect(res.status).toBe(400);
  });
});
