// One bench server per child process, so the load generator never shares an event loop with the
// server it measures. Started by servers.mjs with a JSON spec as argv[2]; reports its port over IPC
// and closes when the parent disconnects or sends 'close'.
//
// Kinds:
//   sim        the simulated upstream (dist/tools/sim), zero latency unless options say otherwise
//   semcache   buildApp(loadConfig(env)) exactly as `semcache serve` builds it; `spec.dist` (a path
//              to another build's dist/) measures that build instead (bench/compare-builds.mjs)
//   no-metrics the same app with a Metrics that records nothing injected (no-metrics.mjs)
//   reference  a minimal @fastify/http-proxy in front of the upstream, fastify's own proxy plugin

import { pathToFileURL } from 'node:url';
import { fastify } from 'fastify';

const spec = JSON.parse(process.argv[2] ?? '{}');

async function build() {
  switch (spec.kind) {
    case 'sim': {
      const { buildSimApp } = await import('../../dist/tools/sim/sim-app.js');
      return buildSimApp(spec.options ?? {}).app;
    }
    case 'semcache': {
      const dist = spec.dist === undefined ? new URL('../../dist/', import.meta.url) : pathToFileURL(`${spec.dist.replace(/\/$/, '')}/`);
      const { buildApp } = await import(new URL('app.js', dist).href);
      const { loadConfig } = await import(new URL('config.js', dist).href);
      return buildApp(loadConfig(spec.env));
    }
    case 'no-metrics': {
      const { buildApp } = await import('../../dist/app.js');
      const { loadConfig } = await import('../../dist/config.js');
      const { createNoMetrics } = await import('./no-metrics.mjs');
      return buildApp(loadConfig(spec.env), { metrics: createNoMetrics() });
    }
    case 'reference': {
      const { default: proxy } = await import('@fastify/http-proxy');
      const app = fastify({ logger: false });
      // reply-from's undici defaults (Pool, 128 connections, pipelining 1) match semcache's upstream Pool.
      await app.register(proxy, { upstream: spec.upstream, prefix: '/v1', rewritePrefix: '/v1' });
      return app;
    }
    default:
      throw new Error(`unknown server kind ${JSON.stringify(spec.kind)}`);
  }
}

const app = await build();
await app.listen({ port: 0, host: '127.0.0.1' });
await app.ready();
const { port } = app.server.address();
process.send({ port });

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await app.close();
  process.exit(0);
}
process.on('message', (message) => {
  if (message === 'close') void close();
});
process.on('disconnect', () => void close());
