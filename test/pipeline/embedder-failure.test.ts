// A failing embedder degrades the cache to its exact tier: every request is still answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { SemcacheError } from '../../src/errors.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

const broken: Embedder = {
  modelId: 'broken-8',
  dimension: 8,
  embed: async () => {
    throw new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', 'embedding failed: worker crashed');
  },
  embedTimed: async () => {
    throw new SemcacheError('SEMCACHE_ERR_EMBED_FAILED', 'embedding failed: worker crashed');
  },
  close: async () => undefined,
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'error' }, deps: { embedder: broken } });
});
afterAll(() => stack.close());

async function ask(question: string): Promise<{ code: number; status: string | null }> {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chatRequest(question),
  });
  await res.text();
  return { code: res.status, status: res.headers.get('x-semcache-status') };
}

describe('a failing embedder', () => {
  it('still answers misses, serves exact hits, and logs the failure', async () => {
    expect(await ask('Is the embedder down?')).toEqual({ code: 200, status: 'miss' });
    expect(await ask('Is the embedder down?')).toEqual({ code: 200, status: 'exact-hit' });
    expect(await ask('Is the embedder really down?')).toEqual({ code: 200, status: 'miss' });
    expect(stack.logs().some((line) => String(line.msg).startsWith('embedding failed'))).toBe(true);
  });
});
