// What checking keys before hits adds to a hit (issue 11): exact hits from a shared namespace through
// semcache with the check on (the default, SEMCACHE_VERIFY_KEYS=shared) and off, side by side, for
// a key the proxy already knows (its verdict is fresh: no upstream call) and for a first-seen key
// (one GET /models to the upstream before the hit), plus hits from the key's own tenant (not
// checked by default). The upstream answers the check after --upstream-delay-ms (the simulator's
// stall, default 0: a loopback round trip); a hit itself never reaches it. Requests go one at a
// time in slices, the order of the servers rotating every slice; figures are p50 and p99 over all
// slices, with the ratio checked / off. A second server with the check off gives the noise floor:
// what two identical processes differ by on this machine (off 2 / off).
//
//   npm run build && node bench/key-check.mjs [--requests 600] [--slices 10] [--upstream-delay-ms 0]

import { parseArgs } from 'node:util';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, latencyRun, send } from './lib/load.mjs';
import { BASE_QUESTIONS } from './lib/prompts.mjs';
import { round, summarize } from './lib/stats.mjs';
import { markdownTable, ms, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '600' },
    slices: { type: 'string', default: '10' },
    'upstream-delay-ms': { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/key-check.mjs [--requests 600] [--slices 10] [--upstream-delay-ms 0]');
  process.exit(0);
}
const perKind = Number(args.requests);
const slices = Number(args.slices);
const perSlice = Math.max(1, Math.round(perKind / slices));
const delayMs = Number(args['upstream-delay-ms']);

const sim = await startServer({ kind: 'sim', options: { stallMs: delayMs } });
const env = { SEMCACHE_UPSTREAM_URL: `${sim.origin}/v1`, SEMCACHE_LOG_LEVEL: 'info', SEMCACHE_SHARED_NAMESPACES: 'faq' };
const servers = {
  checked: await startServer({ kind: 'semcache', env }),
  off: await startServer({ kind: 'semcache', env: { ...env, SEMCACHE_VERIFY_KEYS: 'off' } }),
  off2: await startServer({ kind: 'semcache', env: { ...env, SEMCACHE_VERIFY_KEYS: 'off' } }),
};
const names = Object.keys(servers);
const clients = Object.fromEntries(names.map((name) => [name, createClient(servers[name].origin, 1)]));

const asKey = (key, namespace) => (question) =>
  chatRequest(question, { headers: { authorization: `Bearer ${key}`, ...(namespace === undefined ? {} : { 'x-semcache-namespace': namespace }) } });
const statusIs = (expected) => (result) => {
  const status = result.headers['x-semcache-status'];
  return status === expected ? undefined : `expected ${expected}, got ${status}`;
};

// Both caches hold every base question in the shared namespace and in the known key's own tenant;
// storing proves the known key (its misses were answered 200).
for (const name of names) {
  for (const question of BASE_QUESTIONS) {
    for (const request of [asKey('sk-bench-store', 'faq')(question), asKey('sk-bench-known')(question)]) {
      const result = await send(clients[name], request);
      if (result.headers['x-semcache-status'] !== 'miss')
        throw new Error(`${name}: storing "${question}": ${result.headers['x-semcache-status']} ${result.statusCode}`);
    }
  }
}

const cycle = (i) => BASE_QUESTIONS[i % BASE_QUESTIONS.length];
let fresh = 0;
const kinds = {
  'shared namespace, known key': (i) => asKey('sk-bench-known', 'faq')(cycle(i)),
  // A new key for every request: one check each (the same key goes to both servers).
  'shared namespace, first-seen key': (i) => asKey(`sk-bench-new-${i}-${fresh++}`, 'faq')(cycle(i)),
  'own tenant (not checked by default)': (i) => asKey('sk-bench-known')(cycle(i)),
};
const latencies = Object.fromEntries(names.map((name) => [name, {}]));
const problems = [];

// Warm both (JIT, connections).
for (const name of names) for (const next of Object.values(kinds)) await latencyRun(clients[name], next, 30, statusIs('exact-hit'));

for (let s = 0; s < slices; s++) {
  const order = names.map((_, i) => names[(i + s) % names.length]);
  for (const [kind, next] of Object.entries(kinds)) {
    const requests = Array.from({ length: perSlice }, (_, i) => next(i + s * perSlice));
    for (const name of order) {
      const run = await latencyRun(clients[name], (i) => requests[i], perSlice, statusIs('exact-hit'));
      (latencies[name][kind] ??= []).push(...run.latencies);
      problems.push(...run.problems.map((p) => `${name} ${kind}: ${p}`));
    }
  }
  console.error(`slice ${s + 1}/${slices}`);
}

const checksAnswered = await (await fetch(`${servers.checked.origin}/metrics`)).text();
const checkCount = checksAnswered
  .split('\n')
  .filter((l) => l.startsWith('semcache_key_checks_total'))
  .map((l) => `${l}`);
for (const name of names) {
  await clients[name].close();
  await servers[name].close();
}
await sim.close();

const rows = Object.keys(latencies.checked).map((kind) => {
  const a = summarize(Float64Array.from(latencies.checked[kind]));
  const b = summarize(Float64Array.from(latencies.off[kind]));
  const c = summarize(Float64Array.from(latencies.off2[kind]));
  return {
    kind,
    checkedP50: a.p50,
    offP50: b.p50,
    off2P50: c.p50,
    ratioP50: a.p50 / b.p50,
    noiseP50: c.p50 / b.p50,
    checkedP99: a.p99,
    offP99: b.p99,
    addedP50: a.p50 - b.p50,
  };
});
console.log(`upstream delay ${delayMs} ms; ${perKind} exact hits per kind and server\n`);
console.log(
  markdownTable(
    ['exact hit', 'checked p50', 'off p50', 'checked / off', 'added p50', 'off 2 / off (noise)', 'checked p99', 'off p99'],
    rows.map((r) => [
      r.kind,
      ms(r.checkedP50),
      ms(r.offP50),
      round(r.ratioP50, 3).toFixed(3),
      ms(r.addedP50),
      round(r.noiseP50, 3).toFixed(3),
      ms(r.checkedP99),
      ms(r.offP99),
    ]),
  ),
);
console.log(`\n${checkCount.join('\n')}`);
if (problems.length > 0) console.log(`\nproblems:\n${problems.slice(0, 20).join('\n')}`);
writeResults(`key-check-delay-${delayMs}`, { args: { requests: perKind, slices, upstreamDelayMs: delayMs }, rows, checks: checkCount, problems });
