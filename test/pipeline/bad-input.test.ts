// Bad input on the cached routes gets a 400 (413 when too large) in OpenAI's error shape, naming
// the parameter, and the next good request is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_CACHE_ENABLED: 'false', SEMCACHE_BODY_LIMIT_BYTES: '4096', SEMCACHE_LOG_LEVEL: 'silent' } });
});
afterAll(() => stack.close());

async function send(path: string, body: string): Promise<{ status: number; error: Record<string, unknown> }> {
  const res = await fetch(`${stack.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await res.json()) as { error: Record<string, unknown> };
  return { status: res.status, error: json.error };
}

async function expectGoodRequestWorks(): Promise<void> {
  const ok = await send('/chat/completions', JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: 'still alive?' }] }));
  expect(ok.status).toBe(200);
}

const CASES: Array<{ name: string; path: string; body: string; param: string | null; code: string }> = [
  { name: 'invalid JSON', path: '/chat/completions', body: '{"model": "m", "messages": [', param: null, code: 'SEMCACHE_ERR_REQUEST_INVALID_JSON' },
  { name: 'a body that is not an object', path: '/chat/completions', body: '[1,2]', param: null, code: 'SEMCACHE_ERR_REQUEST_INVALID_JSON' },
  {
    name: 'a missing model',
    path: '/chat/completions',
    body: '{"messages":[{"role":"user","content":"x"}]}',
    param: 'model',
    code: 'SEMCACHE_ERR_REQUEST_MISSING_PARAM',
  },
  {
    name: 'a model that is not a string',
    path: '/chat/completions',
    body: '{"model":7,"messages":[{"role":"user","content":"x"}]}',
    param: 'model',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
  {
    name: 'a model id longer than 256 characters',
    path: '/chat/completions',
    body: `{"model":"${'m'.repeat(257)}","messages":[{"role":"user","content":"x"}]}`,
    param: 'model',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
  {
    name: 'messages that are not an array',
    path: '/chat/completions',
    body: '{"model":"m","messages":"hello"}',
    param: 'messages',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
  {
    name: 'an empty messages array',
    path: '/chat/completions',
    body: '{"model":"m","messages":[]}',
    param: 'messages',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
  {
    name: 'a message with an invalid role',
    path: '/chat/completions',
    body: '{"model":"m","messages":[{"role":"wizard","content":"x"}]}',
    param: 'messages[0].role',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
  {
    name: 'a user message without content',
    path: '/chat/completions',
    body: '{"model":"m","messages":[{"role":"user"}]}',
    param: 'messages[0].content',
    code: 'SEMCACHE_ERR_REQUEST_MISSING_PARAM',
  },
  {
    name: 'a temperature of the wrong type',
    path: '/chat/completions',
    body: '{"model":"m","temperature":"hot","messages":[{"role":"user","content":"x"}]}',
    param: 'temperature',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
  { name: 'a missing prompt', path: '/completions', body: '{"model":"m"}', param: 'prompt', code: 'SEMCACHE_ERR_REQUEST_MISSING_PARAM' },
  {
    name: 'a prompt of the wrong type',
    path: '/completions',
    body: '{"model":"m","prompt":{"text":"x"}}',
    param: 'prompt',
    code: 'SEMCACHE_ERR_REQUEST_INVALID_PARAM',
  },
];

describe('bad input', () => {
  for (const testCase of CASES) {
    it(`rejects ${testCase.name} with 400 naming ${testCase.param ?? 'no parameter'}`, async () => {
      const { status, error } = await send(testCase.path, testCase.body);
      expect(status).toBe(400);
      expect(error).toMatchObject({ type: 'invalid_request_error', param: testCase.param, code: testCase.code });
      expect(typeof error.message).toBe('string');
      await expectGoodRequestWorks();
    });
  }

  it('rejects a body over the limit with 413', async () => {
    const big = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    const { status, error } = await send('/chat/completions', big);
    expect(status).toBe(413);
    expect(error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'SEMCACHE_ERR_REQUEST_TOO_LARGE' });
    await expectGoodRequestWorks();
  });

  it('answers an unknown route with 404 in OpenAI shape', async () => {
    const res = await fetch(`${stack.origin}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SEMCACHE_ERR_REQUEST_NOT_FOUND');
  });
});
