// Two builds of semcache side by side in one run: this checkout's dist/ ("this") and another's
// ("other", e.g. a worktree of the commit before a refactor), both in front of the same simulated
// upstream at zero latency, cache on at log level info. Exact hits, semantic hits, misses (fresh
// prompts) and the cache bypassed (x-semcache-bypass: 1) are measured one request at a time in
// alternating slices (the build that goes first swaps every slice), so both builds see the same
// machine load; the figures are p50s over all slices, with the ratio this / other.
//
//   npm run build && node bench/compare-builds.mjs --other ../wt-old/dist [--requests 400] [--slices 10]

import { parseArgs } from 'node:util';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, latencyRun, send } from './lib/load.mjs';
import { BASE_QUESTIONS, missPrompts, variantCandidates } from './lib/prompts.mjs';
import { round, summarize } from './lib/stats.mjs';
import { markdownTable, ms, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    other: { type: 'string' },
    requests: { type: 'string', default: '400' },
    slices: { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help || args.other === undefined) {
  console.log("node bench/compare-builds.mjs --other <path to another build's dist/> [--requests 400] [--slices 10]");
  process.exit(args.help ? 0 : 2);
}
const perKind = Number(args.requests);
const slices = Number(args.slices);
const perSlice = Math.max(1, Math.round(perKind / slices));

const sim = await startServer({ kind: 'sim' });
const env = { SEMCACHE_UPSTREAM_URL: `${sim.origin}/v1`, SEMCACHE_LOG_LEVEL: 'info' };
const pureEnv = { ...env, SEMCACHE_CACHE_ENABLED: 'false' };
const builds = {
  this: await startServer({ kind: 'semcache', env }),
  other: await startServer({ kind: 'semcache', env, dist: args.other }),
  pureThis: await startServer({ kind: 'semcache', env: pureEnv }),
  pureOther: await startServer({ kind: 'semcache', env: pureEnv, dist: args.other }),
};
const clients = Object.fromEntries(Object.entries(builds).map(([name, server]) => [name, createClient(server.origin, 1)]));
const pureOf = { this: 'pureThis', other: 'pureOther' };

const statusIs = (expected) => (result) => {
  const status = result.headers['x-semcache-status'];
  return status === expected ? undefined : `expected ${expected}, got ${status}`;
};

// Both caches hold the same base questions; the semantic-hit prompts are the variants both hit.
for (const base of BASE_QUESTIONS) for (const name of ['this', 'other']) await send(clients[name], chatRequest(base));
const hitPrompts = [];
for (const candidate of variantCandidates()) {
  const request = chatRequest(candidate.text, { headers: { 'cache-control': 'no-store' } });
  const [a, b] = [await send(clients.this, request), await send(clients.other, request)];
  if (a.headers['x-semcache-status'] === 'semantic-hit' && b.headers['x-semcache-status'] === 'semantic-hit') hitPrompts.push(candidate.text);
}
if (hitPrompts.length < 8) throw new Error(`only ${hitPrompts.length} variants are semantic hits on both builds`);
console.error(`${hitPrompts.length} variants are semantic hits on both builds`);

const cycle = (list) => (i) => list[i % list.length];
const kinds = {
  'exact hit': { next: cycle(BASE_QUESTIONS.map((q) => chatRequest(q))), check: statusIs('exact-hit') },
  'semantic hit': { next: cycle(hitPrompts.map((q) => chatRequest(q))), check: statusIs('semantic-hit') },
  bypass: { next: cycle(BASE_QUESTIONS.map((q) => chatRequest(q, { headers: { 'x-semcache-bypass': '1' } }))), check: statusIs('bypass') },
  // SEMCACHE_CACHE_ENABLED=false: the requests go to the pure-proxy servers of each build.
  'pure proxy': { next: cycle(BASE_QUESTIONS.map((q) => chatRequest(q))), check: undefined, pure: true },
};
const latencies = { this: {}, other: {} };
const problems = [];
const keep = (name, kind, run) => {
  (latencies[name][kind] ??= []).push(...run.latencies);
  problems.push(...run.problems.map((p) => `${name} ${kind}: ${p}`));
};

// Warm both (JIT, connections, the embedding workers).
const clientFor = (name, kind) => clients[kind.pure === true ? pureOf[name] : name];
for (const name of ['this', 'other']) for (const kind of Object.values(kinds)) await latencyRun(clientFor(name, kind), kind.next, 30, kind.check);

for (let s = 0; s < slices; s++) {
  const order = s % 2 === 0 ? ['this', 'other'] : ['other', 'this'];
  for (const [kind, spec] of Object.entries(kinds)) {
    for (const name of order) keep(name, kind, await latencyRun(clientFor(name, spec), (i) => spec.next(i + s * perSlice), perSlice, spec.check));
  }
  // Misses: the same fresh prompts to both builds, one after the other.
  const misses = missPrompts(perSlice, 5000 + s).map((text) => chatRequest(text));
  for (const name of order) keep(name, 'miss', await latencyRun(clients[name], cycle(misses), perSlice, statusIs('miss')));
  console.error(`slice ${s + 1}/${slices}`);
}

for (const name of Object.keys(builds)) {
  await clients[name].close();
  await builds[name].close();
}
await sim.close();

const rows = Object.keys(latencies.this).map((kind) => {
  const a = summarize(Float64Array.from(latencies.this[kind]));
  const b = summarize(Float64Array.from(latencies.other[kind]));
  return { kind, thisP50: a.p50, otherP50: b.p50, ratioP50: a.p50 / b.p50, thisP99: a.p99, otherP99: b.p99 };
});
const table = markdownTable(
  ['request', 'this p50', 'other p50', 'this / other', 'this p99', 'other p99'],
  rows.map((r) => [r.kind, ms(r.thisP50), ms(r.otherP50), round(r.ratioP50, 3).toFixed(3), ms(r.thisP99), ms(r.otherP99)]),
);
console.log(table);
if (problems.length > 0) console.log(`\nproblems:\n${problems.slice(0, 20).join('\n')}`);
writeResults('compare-builds', { args: { other: args.other, requests: perKind, slices }, rows, problems });
