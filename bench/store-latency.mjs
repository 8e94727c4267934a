// Store latency (issue 10): the same app with SEMCACHE_STORE=memory, sqlite:<tmp file> and
// redis://<SEMCACHE_TEST_REDIS_URL> (a prefix of its own), side by side in one run, in front of the
// simulated upstream at zero latency. Exact hits, semantic hits and misses (fresh prompts), one
// request at a time in alternating slices (the order rotates every slice), so every store sees the
// same machine load. Figures: p50/p99 over all slices, and each store's p50 minus memory's.
//
//   npm run build && node bench/store-latency.mjs [--requests 400] [--slices 10] [--redis redis://127.0.0.1:6379]
//
// Targets: exact hit p50 with SQLite within +0.2 ms of memory, with Redis within +0.5 ms; semantic
// hit and miss p50 unchanged within noise.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, latencyRun, send } from './lib/load.mjs';
import { BASE_QUESTIONS, missPrompts, variantCandidates } from './lib/prompts.mjs';
import { round, summarize } from './lib/stats.mjs';
import { markdownTable, ms, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '400' },
    slices: { type: 'string', default: '10' },
    redis: { type: 'string', default: process.env.SEMCACHE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/store-latency.mjs [--requests 400] [--slices 10] [--redis URL]');
  process.exit(0);
}
const perKind = Number(args.requests);
const slices = Number(args.slices);
const perSlice = Math.max(1, Math.round(perKind / slices));
const dir = mkdtempSync(join(tmpdir(), 'semcache-store-latency-'));
const prefix = `bench-${process.pid}`;

const sim = await startServer({ kind: 'sim' });
const base = { SEMCACHE_UPSTREAM_URL: `${sim.origin}/v1`, SEMCACHE_LOG_LEVEL: 'info' };
const variants = {
  memory: { SEMCACHE_STORE: 'memory' },
  sqlite: { SEMCACHE_STORE: `sqlite:${join(dir, 'cache.db')}` },
  redis: { SEMCACHE_STORE: args.redis, SEMCACHE_STORE_PREFIX: prefix },
};
const servers = {};
const clients = {};
for (const [name, env] of Object.entries(variants)) {
  servers[name] = await startServer({ kind: 'semcache', env: { ...base, ...env } });
  clients[name] = createClient(servers[name].origin, 1);
}
const names = Object.keys(variants);
const statusIs = (expected) => (result) =>
  result.headers['x-semcache-status'] === expected ? undefined : `expected ${expected}, got ${result.headers['x-semcache-status']}`;

for (const question of BASE_QUESTIONS) for (const name of names) await send(clients[name], chatRequest(question));
const hitPrompts = [];
for (const candidate of variantCandidates()) {
  const request = chatRequest(candidate.text, { headers: { 'cache-control': 'no-store' } });
  const statuses = [];
  for (const name of names) statuses.push((await send(clients[name], request)).headers['x-semcache-status']);
  if (statuses.every((s) => s === 'semantic-hit')) hitPrompts.push(candidate.text);
}
if (hitPrompts.length < 8) throw new Error(`only ${hitPrompts.length} variants are semantic hits on every store`);
console.error(`${hitPrompts.length} variants are semantic hits on every store`);

const cycle = (list) => (i) => list[i % list.length];
const kinds = {
  'exact hit': { next: cycle(BASE_QUESTIONS.map((q) => chatRequest(q))), check: statusIs('exact-hit') },
  'semantic hit': { next: cycle(hitPrompts.map((q) => chatRequest(q, { headers: { 'cache-control': 'no-store' } }))), check: statusIs('semantic-hit') },
};
const latencies = Object.fromEntries(names.map((n) => [n, {}]));
const problems = [];
const keep = (name, kind, run) => {
  (latencies[name][kind] ??= []).push(...run.latencies);
  problems.push(...run.problems.map((p) => `${name} ${kind}: ${p}`));
};
for (const name of names) for (const kind of Object.values(kinds)) await latencyRun(clients[name], kind.next, 30, kind.check);

for (let s = 0; s < slices; s++) {
  const order = names.map((_, i) => names[(i + s) % names.length]);
  for (const [kind, spec] of Object.entries(kinds))
    for (const name of order) keep(name, kind, await latencyRun(clients[name], (i) => spec.next(i + s * perSlice), perSlice, spec.check));
  const misses = missPrompts(perSlice, 9000 + s).map((text) => chatRequest(text));
  for (const name of order) keep(name, 'miss', await latencyRun(clients[name], cycle(misses), perSlice, statusIs('miss')));
  console.error(`slice ${s + 1}/${slices}`);
}

for (const name of names) {
  await clients[name].close();
  await servers[name].close();
}
await sim.close();
const redis = new Redis(args.redis);
let cursor = '0';
do {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  cursor = next;
  if (keys.length > 0) await redis.del(...keys);
} while (cursor !== '0');
redis.disconnect();
rmSync(dir, { recursive: true, force: true });

const rows = [];
for (const kind of Object.keys(latencies.memory)) {
  const memory = summarize(Float64Array.from(latencies.memory[kind]));
  for (const name of names) {
    const s = summarize(Float64Array.from(latencies[name][kind]));
    rows.push({ kind, store: name, p50: s.p50, p99: s.p99, overMemoryP50: s.p50 - memory.p50 });
  }
}
const table = markdownTable(
  ['request', 'store', 'p50 ms', 'p99 ms', 'p50 - memory p50'],
  rows.map((r) => [r.kind, r.store, ms(r.p50), ms(r.p99), `${r.overMemoryP50 >= 0 ? '+' : ''}${round(r.overMemoryP50, 3).toFixed(3)}`]),
);
console.log(table);
if (problems.length > 0) console.log(`\nproblems:\n${problems.slice(0, 20).join('\n')}`);
writeResults('store-latency', { args: { requests: perKind, slices }, rows, problems });
