// Each fault of the simulated upstream reaches the client with the right status and error shape,
// and the proxy serves the next request normally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_CACHE_ENABLED: 'false', SEMCACHE_UPSTREAM_TIMEOUT_MS: '300', SEMCACHE_LOG_LEVEL: 'silent' } });
});
afterAll(() => stack.close());

const chat = (fault: string | undefined, stream = false): Promise<Response> =>
  fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(fault === undefined ? {} : { 'x-sim-fault': fault }) },
    body: JSON.stringify({ model: 'sim-model', stream, messages: [{ role: 'user', content: 'fault test' }] }),
  });

async function expectNextRequestWorks(): Promise<void> {
  const ok = await chat(undefined);
  expect(ok.status).toBe(200);
  const body = (await ok.json()) as { choices: Array<{ message: { content: string } }> };
  expect(body.choices[0]?.message.content).toContain('Answer to: fault test');
}

describe('upstream faults', () => {
  it('passes an upstream error status and body through unchanged', async () => {
    const res = await chat('error=503');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error.type).toBe('server_error');
    await expectNextRequestWorks();
  });

  it('answers 504 in OpenAI shape when the upstream stalls past the timeout', async () => {
    const res = await chat('stall=2000');
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      error: { message: 'The upstream did not answer within 300 ms.', type: 'api_error', param: null, code: 'SEMCACHE_ERR_UPSTREAM_TIMEOUT' },
    });
    await expectNextRequestWorks();
  });

  it('answers 502 when the upstream resets the connection', async () => {
    const res = await chat('reset');
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; type: string; param: null } };
    expect(body.error.code).toBe('SEMCACHE_ERR_UPSTREAM_UNREACHABLE');
    expect(body.error.param).toBeNull();
    await expectNextRequestWorks();
  });

  it('ends the client stream without [DONE] when the upstream cuts it', async () => {
    const res = await chat('cut=3', true);
    expect(res.status).toBe(200);
    let text = '';
    await expect(
      (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
      })(),
    ).rejects.toThrow();
    expect(text).toContain('data: ');
    expect(text).not.toContain('[DONE]');
    await expectNextRequestWorks();
  });

  it('answers 502 when the upstream is not there at all', async () => {
    const { startStack: start } = await import('../helpers/stack.js');
    const orphan = await start({ env: { SEMCACHE_CACHE_ENABLED: 'false', SEMCACHE_LOG_LEVEL: 'silent' } });
    await orphan.sim.close();
    const res = await fetch(`${orphan.baseURL}/models`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SEMCACHE_ERR_UPSTREAM_UNREACHABLE');
    await orphan.app.close();
  });
});
