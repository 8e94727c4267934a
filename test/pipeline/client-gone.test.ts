// A client that leaves before its miss reaches the upstream: nothing is sent upstream for it,
// nothing is stored, and the next identical request is answered (the
// waiters of a streamed request whose client had left hung forever). The partition holds a vector
// already, so the proxy embeds the prompt before going upstream (test/pipeline/nothing-to-find.test.ts:
// with nothing to find it goes upstream at once).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRequest } from '../helpers/sse.js';
import { slowEmbedder } from '../helpers/slow-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let delay = 0;

beforeAll(async () => {
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: 'admin' }, deps: { embedder: slowEmbedder(() => delay) } });
  const stored = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chatRequest('a question stored first'),
  });
  expect(stored.headers.get('x-semcache-status')).toBe('miss');
  await stored.text();
});
afterAll(() => stack.close());

/** Sends the request, and goes away while the proxy is still embedding its prompt. */
async function sendAndLeave(body: string): Promise<void> {
  const url = new URL(`${stack.baseURL}/chat/completions`);
  const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } });
  req.on('error', () => undefined);
  req.end(body);
  await new Promise((resolve) => setTimeout(resolve, 80));
  req.destroy();
}

async function settled(): Promise<{ entries: number; inFlight: string | undefined }> {
  const stats = (await (await fetch(`${stack.origin}/admin/stats`, { headers: { authorization: 'Bearer admin' } })).json()) as { entries: number };
  const metrics = await (await fetch(`${stack.origin}/metrics`)).text();
  return { entries: stats.entries, inFlight: /^semcache_upstream_in_flight (\d+)/m.exec(metrics)?.[1] };
}

describe('a client gone before its miss goes upstream', () => {
  for (const stream of [true, false]) {
    it(`${stream ? 'streamed' : 'whole'}: nothing upstream, nothing stored, and the next identical request is answered`, async () => {
      const body = chatRequest(`left while embedding (${stream ? 'stream' : 'whole'})`, { stream });
      const upstreamBefore = stack.sim.stats.byPath['/v1/chat/completions'] ?? 0;
      const entriesBefore = (await settled()).entries;
      delay = 300;
      await sendAndLeave(body);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await settled()).toEqual({ entries: entriesBefore, inFlight: '0' });
      expect(stack.sim.stats.byPath['/v1/chat/completions'] ?? 0).toBe(upstreamBefore);
      delay = 0;
      const next = await fetch(`${stack.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5000),
      });
      expect(next.status).toBe(200);
      expect(next.headers.get('x-semcache-status')).toBe('miss');
      await next.text();
    });
  }
});
