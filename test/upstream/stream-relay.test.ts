// Streams are relayed as they arrive and byte for byte; a client that leaves aborts the upstream.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { FastifyInstance } from 'fastify';

// A hand-written upstream: it sends the first half of its stream, then waits for the test to let
// it go on, so the test can prove the first chunk reached the client before the upstream finished.
const FIRST = 'data: {"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n';
const REST = ['data: {"id":"x","choices":[{"index":0,"delta":{"content":"héllo"}}]}\n\n', ': keep-alive comment\n\n', 'data: [DONE]\n\n'];

let upstream: Server;
let proxy: FastifyInstance;
let proxyPort = 0;
let release: () => void = () => undefined;
let upstreamClosedEarly = 0;

function holdStream(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-upstream': 'hand-written' });
  res.write(FIRST);
  res.on('close', () => {
    if (!res.writableFinished) upstreamClosedEarly += 1;
  });
  release = () => {
    for (const part of REST) res.write(part);
    res.end();
  };
}

beforeAll(async () => {
  upstream = createServer(holdStream);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  proxy = buildApp(loadConfig({ SEMCACHE_UPSTREAM_URL: `http://127.0.0.1:${port}/v1`, SEMCACHE_CACHE_ENABLED: 'false', SEMCACHE_LOG_LEVEL: 'silent' }));
  await proxy.listen({ port: 0, host: '127.0.0.1' });
  proxyPort = (proxy.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await proxy.close();
  upstream.close();
});

function post(path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, path, method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
  });
}

describe('stream relay', () => {
  it('delivers the first chunk before the upstream has finished, then every byte unchanged', async () => {
    const res = await post('/v1/chat/completions');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-upstream']).toBe('hand-written');
    expect(res.headers['x-request-id']).toBeTruthy();
    const received: Buffer[] = [];
    const firstChunk = await new Promise<Buffer>((resolve) => res.once('data', resolve));
    received.push(firstChunk);
    expect(firstChunk.toString('utf8')).toBe(FIRST);
    release();
    for await (const chunk of res) received.push(chunk as Buffer);
    expect(Buffer.concat(received).toString('utf8')).toBe(FIRST + REST.join(''));
  });

  it('aborts the upstream request when the client goes away mid-stream', async () => {
    const before = upstreamClosedEarly;
    const res = await post('/v1/chat/completions');
    await new Promise((resolve) => res.once('data', resolve));
    res.destroy();
    await expect.poll(() => upstreamClosedEarly, { timeout: 5000 }).toBe(before + 1);
    const health = await proxy.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });
});
