// The remote embedder (issue 13, SEMCACHE_EMBEDDER=openai) through the proxy, with the simulated
// upstream as the embeddings endpoint (zero latency) and another as the completions upstream, every
// server in its own process.
//
//   npm run build && node bench/remote-embedder-bench.mjs [--rounds 5] [--requests 200] [--bursts 20]
//     [--dimensions 384] [--batch-wait-ms <SEMCACHE_EMBED_BATCH_WAIT_MS, default 5>]
//
// - A semantic hit's p50 through semcache against the endpoint's own p50 for one text (a direct
//   POST /v1/embeddings), interleaved. The simulator's vectors are equal for equal texts, so the hits
//   are stored questions with a doubled space somewhere: a new exact key, the same embedded text.
// - How many calls reach the endpoint for 32 distinct prompts sent at once (GET /sim/stats).
// - With the endpoint down (a closed port), answering errors (503 to every call) and stalled (answers
//   after 5 s, past the 1 s timeout): every client request must still get its answer.
// Targets: hit p50 <= endpoint p50 + 2 ms; 32 concurrent prompts in at most 4 calls; zero client errors.

import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, latencyRun, send, throughputRun } from './lib/load.mjs';
import { BASE_QUESTIONS, missPrompts } from './lib/prompts.mjs';
import { median, round, summarize } from './lib/stats.mjs';
import { markdownTable, ms, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '200' },
    bursts: { type: 'string', default: '20' },
    dimensions: { type: 'string', default: '384' },
    'batch-wait-ms': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/remote-embedder-bench.mjs [--rounds 5] [--requests 200] [--bursts 20] [--dimensions 384] [--batch-wait-ms 5]');
  process.exit(0);
}
const rounds = Number(args.rounds);
const count = Number(args.requests);
const bursts = Number(args.bursts);
const dimensions = Number(args.dimensions);
const BURST = 32;

const upstream = await startServer({ kind: 'sim' });
const endpoint = await startServer({ kind: 'sim', options: { embeddingDimensions: dimensions } });
const remoteEnv = (url, extra = {}) => ({
  SEMCACHE_UPSTREAM_URL: `${upstream.origin}/v1`,
  SEMCACHE_LOG_LEVEL: 'info',
  SEMCACHE_EMBEDDER: 'openai',
  SEMCACHE_EMBED_URL: url,
  SEMCACHE_EMBED_MODEL: 'bench-embed',
  ...(args['batch-wait-ms'] === undefined ? {} : { SEMCACHE_EMBED_BATCH_WAIT_MS: args['batch-wait-ms'] }),
  ...extra,
});
const semcache = await startServer({ kind: 'semcache', env: remoteEnv(`${endpoint.origin}/v1`) });
const client = createClient(semcache.origin, BURST);
const endpointClient = createClient(endpoint.origin, 1);
const statsClient = createClient(endpoint.origin, 1);

/** Every way of doubling one or two of a question's spaces: distinct exact keys, one embedded text. */
function spacedVariants(question) {
  const words = question.split(' ');
  const out = [];
  for (let i = 1; i < words.length; i++) {
    out.push([...words.slice(0, i), '', ...words.slice(i)].join(' '));
    for (let j = i + 1; j < words.length; j++) out.push([...words.slice(0, i), '', ...words.slice(i, j), '', ...words.slice(j)].join(' '));
  }
  return out;
}
const variants = BASE_QUESTIONS.flatMap(spacedVariants);
const statusIs = (expected) => (result) =>
  result.headers['x-semcache-status'] === expected ? undefined : `expected ${expected}, got ${result.headers['x-semcache-status']}`;
const embeddingsRequest = (text) => ({
  path: '/v1/embeddings',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'bench-embed', input: [text], encoding_format: 'float' }),
});

for (const question of BASE_QUESTIONS) {
  const result = await send(client, chatRequest(question));
  if (result.headers['x-semcache-status'] !== 'miss') throw new Error(`storing "${question}": ${result.headers['x-semcache-status']}`);
}

async function embeddingCalls() {
  const response = await statsClient.request({ method: 'GET', path: '/sim/stats' });
  return (await response.body.json()).byPath['/v1/embeddings'] ?? 0;
}

// Hit prompts for the latency runs, and fresh ones (not yet seen, so not exact hits) for the bursts.
const hitPrompts = variants.slice(0, 200);
let nextFresh = 200;
const problems = [];
const note = (name, list) => list.forEach((p) => problems.push(`${name}: ${p}`));
await latencyRun(client, (i) => chatRequest(hitPrompts[i % hitPrompts.length]), 40, statusIs('semantic-hit'));
await latencyRun(endpointClient, (i) => embeddingsRequest(hitPrompts[i % hitPrompts.length]), 40);
// Warm-up bursts of semantic lookups: they open the client's 32 connections (a burst on new
// connections arrives spread by the handshakes) and warm the code of the batched path.
for (let w = 1; w <= 3; w++)
  await Promise.all(
    variants.slice(-w * BURST, variants.length - (w - 1) * BURST).map((q) => send(client, chatRequest(q, { headers: { 'cache-control': 'no-store' } }))),
  );

const raw = [];
for (let r = 0; r < rounds; r++) {
  const hit = await latencyRun(client, (i) => chatRequest(hitPrompts[i % hitPrompts.length]), count, statusIs('semantic-hit'));
  note('semantic hit', hit.problems);
  const direct = await latencyRun(endpointClient, (i) => embeddingsRequest(hitPrompts[i % hitPrompts.length]), count);
  note('endpoint', direct.problems);
  const exact = await latencyRun(client, (i) => chatRequest(BASE_QUESTIONS[i % BASE_QUESTIONS.length]), count, statusIs('exact-hit'));
  note('exact hit', exact.problems);
  const calls = [];
  for (let b = 0; b < Math.ceil(bursts / rounds); b++) {
    if (nextFresh + BURST > variants.length) nextFresh = 200;
    const prompts = variants.slice(nextFresh, nextFresh + BURST);
    nextFresh += BURST;
    const before = await embeddingCalls();
    const results = await Promise.all(prompts.map((p) => send(client, chatRequest(p, { headers: { 'cache-control': 'no-store' } }))));
    calls.push((await embeddingCalls()) - before);
    note(
      'burst',
      results.filter((x) => x.statusCode !== 200).map((x) => `status ${x.statusCode}`),
    );
  }
  raw.push({ hit: summarize(hit.latencies), direct: summarize(direct.latencies), exact: summarize(exact.latencies), calls });
  console.error(`round ${r + 1}/${rounds}: hit p50 ${ms(raw.at(-1).hit.p50)} endpoint p50 ${ms(raw.at(-1).direct.p50)} calls per burst ${calls.join(',')}`);
}
await client.close();
await semcache.close();

// Failure modes: a fresh proxy per mode, the same mixed traffic (repeats and new prompts), sequential
// then 32 at a time; every status counted.
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const failing = await startServer({ kind: 'sim', options: { embeddingDimensions: dimensions, errorRate: 1, errorStatus: 503 } });
const stalled = await startServer({ kind: 'sim', options: { embeddingDimensions: dimensions, stallMs: 5_000 } });
const modes = [
  ['(baseline) endpoint up', `${endpoint.origin}/v1`],
  ['endpoint down (closed port)', `http://127.0.0.1:${await closedPort()}/v1`],
  ['endpoint answers 503', `${failing.origin}/v1`],
  ['endpoint stalls 5 s (timeout 1 s)', `${stalled.origin}/v1`],
];
const failureRows = [];
const COOLDOWN_MS = 5_000;
for (const [name, url] of modes) {
  const proxy = await startServer({ kind: 'semcache', env: remoteEnv(url, { SEMCACHE_EMBED_DIMENSION: String(dimensions) }) });
  const proxyClient = createClient(proxy.origin, BURST);
  const fresh = missPrompts(count * 3, 7);
  const traffic = (offset) => (i) =>
    chatRequest((i + offset) % 2 === 0 ? BASE_QUESTIONS[(i + offset) % BASE_QUESTIONS.length] : fresh[(i + offset) % fresh.length]);
  // No warm-up: the first requests are the ones that meet a failing endpoint first. Then a burst, and
  // after the breaker's cooldown another run, whose first prompts ride on the probe call.
  const first = await latencyRun(proxyClient, traffic(0), count);
  const burst = await throughputRun(proxyClient, traffic(count), count, BURST);
  await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 200));
  const later = await latencyRun(proxyClient, traffic(2 * count), count);
  const problems = [...first.problems, ...burst.problems, ...later.problems];
  const errors = problems.filter((p) => p.startsWith('status')).length;
  const ready = await (await proxyClient.request({ method: 'GET', path: '/readyz' })).body.json();
  const sequential = Float64Array.from([...first.latencies, ...later.latencies]);
  const all = [...sequential, ...burst.latencies];
  const s1 = summarize(sequential);
  failureRows.push([name, all.length, errors, ms(s1.p50), ms(s1.p99), all.filter((x) => x > 500).length, `${Math.round(Math.max(...all))} ms`, ready.status]);
  await proxyClient.close();
  await proxy.close();
}
await Promise.all([failing.close(), stalled.close(), endpoint.close(), upstream.close(), endpointClient.close(), statsClient.close()]);
const batchWaitMs = args['batch-wait-ms'] ?? '5';

const med = (f) => median(raw.map(f));
const allCalls = raw.flatMap((x) => x.calls);
const summary = {
  hitP50: med((x) => x.hit.p50),
  hitP99: med((x) => x.hit.p99),
  directP50: med((x) => x.direct.p50),
  directP99: med((x) => x.direct.p99),
  exactP50: med((x) => x.exact.p50),
  hitOverEndpointP50: med((x) => x.hit.p50 - x.direct.p50),
  callsPerBurstMax: Math.max(...allCalls),
  callsPerBurstMedian: median(allCalls),
};
const s = summary;
const out = [
  '### Remote embedder\n',
  markdownTable(
    ['measurement (c=1)', 'p50 ms', 'p99 ms'],
    [
      [`the endpoint alone: POST /v1/embeddings, one text, ${dimensions}-d`, ms(s.directP50), ms(s.directP99)],
      ['semantic hit through semcache (SEMCACHE_EMBEDDER=openai)', ms(s.hitP50), ms(s.hitP99)],
      ['exact hit through semcache', ms(s.exactP50), '—'],
    ],
  ),
  '',
  markdownTable(
    ['target', 'measured', 'bound', 'verdict'],
    [
      ['semantic hit p50 - endpoint p50', `${ms(s.hitOverEndpointP50)} ms`, '<= 2 ms', s.hitOverEndpointP50 <= 2 ? 'met' : 'MISSED'],
      [
        `calls to the endpoint for ${BURST} prompts at once`,
        `max ${s.callsPerBurstMax}, median ${s.callsPerBurstMedian} over ${allCalls.length} bursts`,
        '<= 4',
        s.callsPerBurstMax <= 4 ? 'met' : 'MISSED',
      ],
    ],
  ),
  '',
  markdownTable(['embeddings endpoint', 'requests', 'client errors', 'p50 ms (sequential)', 'p99 ms', 'over 500 ms', 'slowest', '/readyz'], failureRows),
  '',
  `Medians over ${rounds} rounds of ${count} requests per measurement; ${hitPrompts.length} hit prompts (the ${BASE_QUESTIONS.length} stored questions with doubled spaces); bursts of ${BURST} fresh prompts with cache-control: no-store. Failure modes, each on a fresh proxy without warm-up: ${count} requests one at a time, ${count} at ${BURST} in flight, then after the breaker's cooldown ${count} more one at a time; half repeats of stored questions and half new prompts; SEMCACHE_EMBED_DIMENSION=${dimensions}, default timeout (1 s), batch wait ${batchWaitMs} ms, default breaker (3 failures, 5 s cooldown).`,
];
if (problems.length > 0) out.push(`\nPROBLEMS (${problems.length}):\n${problems.slice(0, 20).join('\n')}`);
console.log(out.join('\n'));
const file = writeResults('remote-embedder', {
  command: `node bench/remote-embedder-bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  settings: { rounds, count, bursts, dimensions },
  summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v, 4)])),
  rounds: raw,
  failures: failureRows,
  problems,
});
console.error(`raw figures: ${file}`);
