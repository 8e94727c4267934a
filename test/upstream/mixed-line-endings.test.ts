// An upstream whose stream mixes line endings (LF lines, blank lines ending in CRLF, as some
// servers and proxies in between send): the client gets every chunk through the real SDK, and the
// whole answer is stored (the same request is then an exact hit).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const chunk = (delta: object, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-mixed', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}`;
const usage = `data: ${JSON.stringify({ id: 'chatcmpl-mixed', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } })}`;
// Each event's line ends in LF and its blank line in CRLF, or the other way round.
const STREAM = [
  `${chunk({ role: 'assistant', content: '' })}\n\r\n`,
  `${chunk({ content: 'Hello ' })}\r\n\n`,
  `${chunk({ content: 'there' })}\n\r\n`,
  `${chunk({}, 'stop')}\n\r\n`,
  `${usage}\n\r\n`,
  'data: [DONE]\n\r\n',
];

let upstream: Server;
let upstreamCalls = 0;
let proxy: FastifyInstance;
let client: OpenAI;

beforeAll(async () => {
  upstream = createServer((_req, res) => {
    upstreamCalls += 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of STREAM) res.write(event);
    res.end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  proxy = buildApp(
    loadConfig({ SEMCACHE_UPSTREAM_URL: `http://127.0.0.1:${port}/v1`, SEMCACHE_STORE: 'memory', SEMCACHE_SEMANTIC: 'false', SEMCACHE_LOG_LEVEL: 'silent' }),
  );
  await proxy.listen({ port: 0, host: '127.0.0.1' });
  client = new OpenAI({ baseURL: `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}/v1`, apiKey: 'sk-mixed', maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
  upstream.close();
});

async function ask(): Promise<{ text: string; status: string | null }> {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'Say hello' }] })
    .withResponse();
  let text = '';
  for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
  return { text, status: response.headers.get('x-semcache-status') };
}

describe('an upstream stream with mixed line endings', () => {
  it('reaches the client whole, and is stored', async () => {
    expect(await ask()).toEqual({ text: 'Hello there', status: 'miss' });
    expect(await ask()).toEqual({ text: 'Hello there', status: 'exact-hit' });
    expect(upstreamCalls).toBe(1);
  });
});
