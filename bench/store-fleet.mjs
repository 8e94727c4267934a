// A fleet on one Redis (issue 10): two replicas (separate processes) with SEMCACHE_STORE=redis://...
// on a redis-server of this run's own.
//  1. Propagation: a miss answered through A, then B asked for the same prompt (exact) and a
//     paraphrase of it (semantic) until it hits: delay from A's answer to B's first hit, p50/p99.
//     Then an admin delete, a namespace flush and a feedback block on A: delay until B misses.
//  2. Redis killed mid-load and started again (empty, as a Redis without persistence restarts):
//     mixed traffic on both replicas throughout; client errors, wrong answers (every answer names
//     its prompt), and whether the replicas go back to sharing hits.
//
//   npm run build && node bench/store-fleet.mjs [--samples 200] [--load-seconds 20]

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, send } from './lib/load.mjs';
import { BASE_QUESTIONS, missPrompts, variantCandidates, VARIANTS } from './lib/prompts.mjs';
import { percentile } from './lib/stats.mjs';
import { markdownTable, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '200' },
    'load-seconds': { type: 'string', default: '20' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/store-fleet.mjs [--samples 200] [--load-seconds 20]');
  process.exit(0);
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

const redisPort = await freePort();
let redis;
async function startRedis() {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => redis.stdout.on('data', (c) => c.toString().includes('Ready to accept') && resolve()));
}
async function killRedis() {
  const exited = once(redis, 'exit');
  redis.kill('SIGKILL');
  await exited;
}
await startRedis();

const ADMIN = 'bench-admin';
const sim = await startServer({ kind: 'sim' });
const env = {
  SEMCACHE_UPSTREAM_URL: `${sim.origin}/v1`,
  SEMCACHE_STORE: `redis://127.0.0.1:${redisPort}`,
  SEMCACHE_LOG_LEVEL: 'warn',
  SEMCACHE_ADMIN_TOKEN: ADMIN,
  SEMCACHE_SHARED_NAMESPACES: 'faq',
};
const a = await startServer({ kind: 'semcache', env });
const b = await startServer({ kind: 'semcache', env });
const [ca, cb] = [createClient(a.origin, 16), createClient(b.origin, 16)];
const statusOf = async (client, text, headers = {}) => (await send(client, chatRequest(text, { headers }))).headers['x-semcache-status'];
const admin = (server, method, path, body) =>
  fetch(`${server.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

async function until(predicate, since, limitMs = 5000) {
  for (;;) {
    if (await predicate()) return performance.now() - since;
    if (performance.now() - since > limitMs) return Infinity;
  }
}

// 1. Propagation of stored entries: each sample a fresh question and a paraphrase the cache hits.
const exact = [];
const semantic = [];
const samples = Number(args.samples);
const paraphrase = VARIANTS[1];
for (let i = 0; i < samples; i++) {
  const base = `${BASE_QUESTIONS[i % BASE_QUESTIONS.length].replace(/\?$/, '')} (case ${i})?`;
  const stored = await send(ca, chatRequest(base));
  if (stored.headers['x-semcache-status'] !== 'miss') throw new Error(`sample ${i}: ${stored.headers['x-semcache-status']}`);
  const at = performance.now();
  exact.push(await until(async () => (await statusOf(cb, base, { 'cache-control': 'no-store' })) === 'exact-hit', at));
  semantic.push(
    await until(async () => (await statusOf(cb, paraphrase(base), { 'cache-control': 'no-store', 'x-semcache-threshold': '0.9' })) === 'semantic-hit', at),
  );
}
const finite = (list) => Float64Array.from(list.filter(Number.isFinite));

// Deletes, flushes and feedback blocks made on A, seen on B.
const removal = { delete: [], flush: [], feedback: [] };
for (let i = 0; i < 20; i++) {
  const q = `How do I update my billing address, request ${i}?`;
  const p = `How can I update my billing address, request ${i}?`;
  const stored = await send(ca, chatRequest(q));
  const id = Number(stored.headers['x-semcache-entry-id']);
  await until(async () => (await statusOf(cb, p, { 'cache-control': 'no-store', 'x-semcache-threshold': '0.9' })) === 'semantic-hit', performance.now());
  const kind = ['delete', 'flush', 'feedback'][i % 3];
  let at;
  if (kind === 'delete') {
    at = performance.now();
    await admin(a, 'DELETE', `/admin/entries/${id}`);
  } else if (kind === 'feedback') {
    at = performance.now();
    await admin(a, 'POST', '/admin/feedback', { entry_id: id, prompt: p });
  } else {
    const nsq = await send(ca, chatRequest(q, { headers: { 'x-semcache-namespace': 'faq' } }));
    await until(
      async () => (await statusOf(cb, p, { 'x-semcache-namespace': 'faq', 'cache-control': 'no-store', 'x-semcache-threshold': '0.9' })) === 'semantic-hit',
      performance.now(),
    );
    at = performance.now();
    await admin(a, 'DELETE', '/admin/namespaces/faq');
    void nsq;
  }
  const headers =
    kind === 'flush'
      ? { 'x-semcache-namespace': 'faq', 'cache-control': 'no-store', 'x-semcache-threshold': '0.9' }
      : { 'cache-control': 'no-store', 'x-semcache-threshold': '0.9' };
  removal[kind].push(await until(async () => (await statusOf(cb, p, headers)) === 'miss', at));
}

// 2. Redis killed mid-load and started again.
const loadSeconds = Number(args['load-seconds']);
const prompts = missPrompts(4000, 4242);
const counts = { requests: 0, errors: 0, wrong: 0, wrongExamples: [], byStatus: {} };

/** The answer's text, whole or reassembled from its stream. */
function answerOf(text, streamed) {
  if (!streamed) return JSON.parse(text).choices[0].message.content ?? '';
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    content += JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '';
  }
  return content;
}
const started = performance.now();
let killedAt;
let restartedAt;
async function lane(client) {
  let i = 0;
  while (performance.now() - started < loadSeconds * 1000) {
    const text = i % 3 === 0 ? prompts[i % prompts.length] : prompts[(i * 7) % 50];
    i++;
    try {
      const result = await send(client, chatRequest(text, { stream: i % 4 === 0 }));
      counts.requests++;
      const status = result.headers['x-semcache-status'] ?? `http ${result.statusCode}`;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      if (result.statusCode !== 200) counts.errors++;
      else if (!answerOf(result.text, i % 4 === 0).includes(`Answer to: ${text} --`)) {
        counts.wrong++;
        if (counts.wrongExamples.length < 5) counts.wrongExamples.push({ asked: text, status, answer: answerOf(result.text, i % 4 === 0).slice(0, 160) });
      }
    } catch {
      counts.requests++;
      counts.errors++;
    }
  }
}
const chaos = (async () => {
  await new Promise((resolve) => setTimeout(resolve, (loadSeconds * 1000) / 4));
  killedAt = (performance.now() - started) / 1000;
  await killRedis();
  await new Promise((resolve) => setTimeout(resolve, (loadSeconds * 1000) / 4));
  await startRedis();
  restartedAt = (performance.now() - started) / 1000;
})();
await Promise.all([lane(ca), lane(ca), lane(cb), lane(cb), chaos]);
const readyA = await (await fetch(`${a.origin}/readyz`)).json();
const afterQ = 'After the restart: what is a shared cache?';
await send(ca, chatRequest(afterQ));
const sharedAfter = await until(async () => (await statusOf(cb, afterQ)) === 'exact-hit', performance.now(), 10_000);

await ca.close();
await cb.close();
await a.close();
await b.close();
await sim.close();
await killRedis();

const p = (list, q) => percentile(finite(list), q / 100);
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'never');
const rows = [
  ['stored on A, exact hit on B', fmt(p(exact, 50)), fmt(p(exact, 99)), `${finite(exact).length}/${exact.length}`],
  ['stored on A, semantic hit on B', fmt(p(semantic, 50)), fmt(p(semantic, 99)), `${finite(semantic).length}/${semantic.length}`],
  ['deleted on A, miss on B', fmt(p(removal.delete, 50)), fmt(p(removal.delete, 99)), `${finite(removal.delete).length}/${removal.delete.length}`],
  ['namespace flushed on A, miss on B', fmt(p(removal.flush, 50)), fmt(p(removal.flush, 99)), `${finite(removal.flush).length}/${removal.flush.length}`],
  [
    'feedback block on A, miss on B',
    fmt(p(removal.feedback, 50)),
    fmt(p(removal.feedback, 99)),
    `${finite(removal.feedback).length}/${removal.feedback.length}`,
  ],
];
console.log(markdownTable(['propagation', 'p50 ms', 'p99 ms', 'seen within 5 s'], rows));
console.log(
  `\nRedis killed at ${killedAt?.toFixed(1)} s and restarted (empty) at ${restartedAt?.toFixed(1)} s of a ${loadSeconds} s load on both replicas: ${counts.requests} requests, ${counts.errors} failed, ${counts.wrong} wrong answers ${JSON.stringify(counts.wrongExamples)}; by status ${JSON.stringify(counts.byStatus)}; /readyz of A after: ${JSON.stringify(readyA)}; a miss on A was an exact hit on B again after ${fmt(sharedAfter)} ms`,
);
writeResults('store-fleet', {
  samples,
  propagation: { exact, semantic, removal },
  chaos: { loadSeconds, killedAt, restartedAt, counts, readyA, sharedAfterMs: sharedAfter },
});
