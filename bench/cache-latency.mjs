// Cache latency (issue 3): client-observed semantic-hit and exact-hit latency through semcache, the
// embedder's own latency for the same prompts measured in this process (the same Embedder the app
// builds: USE-lite behind the worker pool; in-thread as well, for the model alone), a miss through
// semcache against the same request through the pure proxy, and semantic-hit throughput with 32
// distinct prompts in flight against one at a time. The simulated upstream answers at once unless
// --upstream-ms says otherwise, so a miss's figure is semcache's own overhead. Misses are measured
// twice: in a partition that holds vectors (the prompt is embedded and searched before it goes
// upstream) and in a new conversation (nothing to find: embedded while the upstream answers).
// Servers run in child processes; rounds are interleaved and the figures quoted are medians over rounds.
//
//   npm run build && node bench/cache-latency.mjs [--rounds 5] [--requests 200] [--concurrency 32]
//     [--throughput-requests 640] [--workers <SEMCACHE_EMBED_WORKERS, default: the app's default>]
//     [--embedder use|use-tfjs (SEMCACHE_EMBEDDER, default use: USE-lite on onnxruntime)]
//     [--upstream-ms <the simulated upstream's time to its first byte, default 0>]
//
// Targets: semantic hit p50 <= embedder p50 + 2 ms; miss p50 - pure proxy p50 <= embedder p50 + 2 ms;
// hit req/s at c=32 >= 1.6 x hit req/s at c=1.

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createEmbedder } from '../dist/embed/create-embedder.js';
import { loadConfig } from '../dist/config.js';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, latencyRun, send, throughputRun } from './lib/load.mjs';
import { BASE_QUESTIONS, missPrompts, variantCandidates } from './lib/prompts.mjs';
import { median, round, summarize } from './lib/stats.mjs';
import { markdownTable, ms, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    'throughput-requests': { type: 'string', default: '640' },
    workers: { type: 'string' },
    embedder: { type: 'string', default: 'use' },
    'upstream-ms': { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'node bench/cache-latency.mjs [--rounds 5] [--requests 200] [--concurrency 32] [--throughput-requests 640] [--workers N] [--embedder use|use-tfjs] [--upstream-ms 0]',
  );
  process.exit(0);
}
const rounds = Number(args.rounds);
const count = Number(args.requests);
const concurrency = Number(args.concurrency);
const throughputCount = Number(args['throughput-requests']);

// The simulated upstream's time to its first byte (0: it answers at once).
const upstreamMs = Number(args['upstream-ms']);
const sim = await startServer({ kind: 'sim', options: { ttftMs: upstreamMs } });
// Log level info, the default: what a deployment pays, on both sides of every comparison.
const env = {
  SEMCACHE_UPSTREAM_URL: `${sim.origin}/v1`,
  SEMCACHE_LOG_LEVEL: 'info',
  SEMCACHE_EMBEDDER: args.embedder,
  ...(args.workers === undefined ? {} : { SEMCACHE_EMBED_WORKERS: args.workers }),
};
const workers = loadConfig(env).embed.workers;
const semcache = await startServer({ kind: 'semcache', env });
const pure = await startServer({ kind: 'semcache', env: { ...env, SEMCACHE_CACHE_ENABLED: 'false' } });
const cacheClient = createClient(semcache.origin, concurrency);
const pureClient = createClient(pure.origin, 1);

// The embedder as the app builds it (worker pool, same worker count), and the model alone in-thread.
const pooled = await createEmbedder({ backend: { kind: args.embedder }, workers, maxBatch: 16 });
const inThread = await createEmbedder({ backend: { kind: args.embedder }, workers: 0, maxBatch: 16 });

const statusIs = (expected) => (result) => {
  const status = result.headers['x-semcache-status'];
  return status === expected ? undefined : `expected ${expected}, got ${status}`;
};

// Store every base question (a miss each), then keep the variants the cache answers as semantic hits.
// Discovery uses no-store so a variant that misses is not stored and cannot turn into an exact hit.
for (const base of BASE_QUESTIONS) {
  const result = await send(cacheClient, chatRequest(base));
  if (result.headers['x-semcache-status'] !== 'miss') throw new Error(`storing "${base}": ${result.headers['x-semcache-status']} ${result.statusCode}`);
}
const hitPrompts = [];
const similarities = [];
let candidatesTried = 0;
for (const candidate of variantCandidates()) {
  candidatesTried++;
  const result = await send(cacheClient, chatRequest(candidate.text, { headers: { 'cache-control': 'no-store' } }));
  if (result.headers['x-semcache-status'] === 'semantic-hit') {
    hitPrompts.push(candidate.text);
    similarities.push(Number(result.headers['x-semcache-similarity']));
  }
}
if (hitPrompts.length < concurrency * 2) throw new Error(`only ${hitPrompts.length} semantic-hit variants found; need ${concurrency * 2}`);
console.error(`${hitPrompts.length} of ${candidatesTried} variants are semantic hits (similarity ${Math.min(...similarities)}..${Math.max(...similarities)})`);

const hitRequests = hitPrompts.map((text) => chatRequest(text));
const hitStreamRequests = hitPrompts.map((text) => chatRequest(text, { stream: true }));
const exactRequests = BASE_QUESTIONS.map((text) => chatRequest(text));
const cycle = (list) => (i) => list[i % list.length];

async function embedLatencies(embedder, n) {
  const latencies = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const text = hitPrompts[i % hitPrompts.length];
    const started = performance.now();
    await embedder.embed([text]);
    latencies[i] = performance.now() - started;
  }
  return latencies;
}

/** The proxy's own embedding and search histograms (sums and counts), to split a hit's time. */
async function serverTimings() {
  const response = await cacheClient.request({ method: 'GET', path: '/metrics' });
  const text = await response.body.text();
  const get = (name) => Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    embedSum: get('semcache_embedding_duration_seconds_sum'),
    embedCount: get('semcache_embedding_duration_seconds_count'),
    searchSum: get('semcache_index_search_duration_seconds_sum'),
    searchCount: get('semcache_index_search_duration_seconds_count'),
  };
}
const timingsBetween = (a, b) => ({
  embedMeanMs: ((b.embedSum - a.embedSum) / (b.embedCount - a.embedCount)) * 1000,
  searchMeanMs: ((b.searchSum - a.searchSum) / (b.searchCount - a.searchCount)) * 1000,
});

// Warm every path once (JIT, connections, TF.js kernels) before the measured rounds.
await embedLatencies(pooled, 20);
await embedLatencies(inThread, 20);
await latencyRun(cacheClient, cycle(hitRequests), 40, statusIs('semantic-hit'));
await latencyRun(pureClient, (i) => chatRequest(`warm-up ${i}`), 40);

const raw = [];
const problems = [];
const note = (name, list) => list.forEach((p) => problems.push(`${name}: ${p}`));
for (let r = 0; r < rounds; r++) {
  const round = {};
  const steps = [
    async () => {
      round.embedPool = summarize(await embedLatencies(pooled, count));
      round.embedInThread = summarize(await embedLatencies(inThread, count));
    },
    async () => {
      const before = await serverTimings();
      const hit = await latencyRun(cacheClient, cycle(hitRequests), count, statusIs('semantic-hit'));
      round.hitServer = timingsBetween(before, await serverTimings());
      note('semantic hit', hit.problems);
      round.semanticHit = summarize(hit.latencies);
      round.hitRpsC1 = count / (hit.latencies.reduce((a, b) => a + b, 0) / 1000);
      const streamed = await latencyRun(cacheClient, cycle(hitStreamRequests), count, statusIs('semantic-hit'));
      note('semantic hit streamed', streamed.problems);
      round.semanticHitStreamed = summarize(streamed.latencies);
    },
    async () => {
      const exact = await latencyRun(cacheClient, cycle(exactRequests), count * 2, statusIs('exact-hit'));
      note('exact hit', exact.problems);
      round.exactHit = summarize(exact.latencies);
    },
    async () => {
      // Each fresh prompt goes to semcache (a miss: embed, search, forward, store) and, right after,
      // the same bytes go to the pure proxy.
      // The embedder's time for these same prompts is taken in-process next to them: miss prompts
      // are longer than the hit prompts, and USE-lite's time grows with the text.
      const texts = missPrompts(count, 1000 + r);
      const prompts = texts.map((text) => chatRequest(text));
      const missLat = new Float64Array(count);
      const pureLat = new Float64Array(count);
      const embedLat = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const a = await send(cacheClient, prompts[i]);
        if (a.headers['x-semcache-status'] !== 'miss') note('miss', [`prompt ${i}: ${a.headers['x-semcache-status']}`]);
        const b = await send(pureClient, prompts[i]);
        if (b.statusCode !== 200) note('pure proxy', [`status ${b.statusCode}`]);
        const started = performance.now();
        await pooled.embed([texts[i]]);
        embedLat[i] = performance.now() - started;
        missLat[i] = a.ms;
        pureLat[i] = b.ms;
      }
      round.miss = summarize(missLat);
      round.pureProxy = summarize(pureLat);
      round.embedMissPrompts = summarize(embedLat);
      // The same kind of prompts, each in a conversation of its own (a system prompt seen once): its
      // partition holds nothing, so semcache embeds the prompt while the upstream answers.
      const newMissLat = new Float64Array(count);
      const newPureLat = new Float64Array(count);
      missPrompts(count, 5000 + r).forEach((text, i) => {
        const request = chatRequest(text);
        const body = JSON.parse(request.body);
        body.messages.unshift({ role: 'system', content: `conversation ${r}-${i}` });
        prompts[i] = { ...request, body: JSON.stringify(body) };
      });
      for (let i = 0; i < count; i++) {
        const a = await send(cacheClient, prompts[i]);
        if (a.headers['x-semcache-status'] !== 'miss') note('miss, new conversation', [`prompt ${i}: ${a.headers['x-semcache-status']}`]);
        const b = await send(pureClient, prompts[i]);
        newMissLat[i] = a.ms;
        newPureLat[i] = b.ms;
      }
      round.missNew = summarize(newMissLat);
      round.pureProxyNew = summarize(newPureLat);
    },
    async () => {
      const c1 = await throughputRun(cacheClient, cycle(hitRequests), Math.max(count, throughputCount / 4), 1, statusIs('semantic-hit'));
      const cN = await throughputRun(cacheClient, cycle(hitRequests), throughputCount, concurrency, statusIs('semantic-hit'));
      note('hit throughput', [...c1.problems, ...cN.problems]);
      round.hitThroughput = { rpsC1: c1.rps, rpsCN: cN.rps, ratio: cN.rps / c1.rps, p50CN: summarize(cN.latencies).p50 };
    },
    async () => {
      // The embedder alone under the same two loads: how much of the hit throughput ratio the
      // worker pool (and the cores the machine has free) can give at all.
      const n = Math.max(count, throughputCount / 4);
      let started = performance.now();
      for (let i = 0; i < n; i++) await pooled.embed([hitPrompts[i % hitPrompts.length]]);
      const c1 = n / ((performance.now() - started) / 1000);
      let issued = 0;
      started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (issued < throughputCount) await pooled.embed([hitPrompts[issued++ % hitPrompts.length]]);
        }),
      );
      const cN = throughputCount / ((performance.now() - started) / 1000);
      round.embedThroughput = { rpsC1: c1, rpsCN: cN, ratio: cN / c1 };
    },
  ];
  // Rotate the order so no measurement always follows the same one.
  for (let s = 0; s < steps.length; s++) await steps[(s + r) % steps.length]();
  round.loadAverage = loadavg()[0];
  raw.push(round);
  console.error(
    `round ${r + 1}/${rounds}: hit p50 ${ms(round.semanticHit.p50)} embed p50 ${ms(round.embedPool.p50)} ratio ${round.hitThroughput.ratio.toFixed(2)}`,
  );
}

await cacheClient.close();
await pureClient.close();
await pooled.close();
await inThread.close();
await semcache.close();
await pure.close();
await sim.close();

const med = (f) => median(raw.map(f));
const summary = {
  embedPoolP50: med((x) => x.embedPool.p50),
  embedPoolP99: med((x) => x.embedPool.p99),
  embedInThreadP50: med((x) => x.embedInThread.p50),
  embedInThreadP99: med((x) => x.embedInThread.p99),
  semanticHitP50: med((x) => x.semanticHit.p50),
  semanticHitP99: med((x) => x.semanticHit.p99),
  semanticHitStreamedP50: med((x) => x.semanticHitStreamed.p50),
  semanticHitStreamedP99: med((x) => x.semanticHitStreamed.p99),
  exactHitP50: med((x) => x.exactHit.p50),
  exactHitP99: med((x) => x.exactHit.p99),
  missP50: med((x) => x.miss.p50),
  missP99: med((x) => x.miss.p99),
  pureProxyP50: med((x) => x.pureProxy.p50),
  pureProxyP99: med((x) => x.pureProxy.p99),
  hitOverEmbedP50: med((x) => x.semanticHit.p50 - x.embedPool.p50),
  hitServerEmbedMean: med((x) => x.hitServer.embedMeanMs),
  hitServerSearchMean: med((x) => x.hitServer.searchMeanMs),
  semanticHitMean: med((x) => x.semanticHit.mean),
  hitOverInThreadEmbedP50: med((x) => x.semanticHit.p50 - x.embedInThread.p50),
  missOverProxyP50: med((x) => x.miss.p50 - x.pureProxy.p50),
  missNewP50: med((x) => x.missNew.p50),
  missNewP99: med((x) => x.missNew.p99),
  pureProxyNewP50: med((x) => x.pureProxyNew.p50),
  missNewOverProxyP50: med((x) => x.missNew.p50 - x.pureProxyNew.p50),
  embedMissPromptsP50: med((x) => x.embedMissPrompts.p50),
  embedMissPromptsP99: med((x) => x.embedMissPrompts.p99),
  missOverheadOverEmbedP50: med((x) => x.miss.p50 - x.pureProxy.p50 - x.embedMissPrompts.p50),
  hitRpsC1: med((x) => x.hitThroughput.rpsC1),
  hitRpsCN: med((x) => x.hitThroughput.rpsCN),
  hitThroughputRatio: med((x) => x.hitThroughput.ratio),
  hitP50AtConcurrency: med((x) => x.hitThroughput.p50CN),
  embedRpsC1: med((x) => x.embedThroughput.rpsC1),
  embedRpsCN: med((x) => x.embedThroughput.rpsCN),
  embedThroughputRatio: med((x) => x.embedThroughput.ratio),
  loadAverage: raw.map((x) => x.loadAverage),
};
const s = summary;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const latencyTable = markdownTable(
  ['measurement (c=1)', 'p50 ms', 'p99 ms'],
  [
    [`embedder alone, worker pool (${workers} workers), in-process`, ms(s.embedPoolP50), ms(s.embedPoolP99)],
    ['embedder alone, model in-thread', ms(s.embedInThreadP50), ms(s.embedInThreadP99)],
    ['semantic hit through semcache', ms(s.semanticHitP50), ms(s.semanticHitP99)],
    ['semantic hit, streamed', ms(s.semanticHitStreamedP50), ms(s.semanticHitStreamedP99)],
    [
      `(in the proxy, per hit, means: embedding ${ms(s.hitServerEmbedMean)}, index search and guards ${ms(s.hitServerSearchMean)}; the hit itself ${ms(s.semanticHitMean)})`,
      '',
      '',
    ],
    ['exact hit through semcache', ms(s.exactHitP50), ms(s.exactHitP99)],
    ['embedder alone (worker pool) on the miss prompts', ms(s.embedMissPromptsP50), ms(s.embedMissPromptsP99)],
    [`miss through semcache (upstream answering in ${upstreamMs} ms)`, ms(s.missP50), ms(s.missP99)],
    ['same request through the pure proxy', ms(s.pureProxyP50), ms(s.pureProxyP99)],
    ['miss in a new conversation (nothing to find: embedded while the upstream answers)', ms(s.missNewP50), ms(s.missNewP99)],
    ['same request through the pure proxy', ms(s.pureProxyNewP50), ''],
  ],
);
const targetTable = markdownTable(
  ['target', 'measured (median over rounds of per-round values)', 'bound', 'verdict'],
  [
    [
      'semantic hit p50 - embedder p50',
      `${ms(s.hitOverEmbedP50)} ms (vs in-thread model: ${ms(s.hitOverInThreadEmbedP50)} ms)`,
      '<= 2 ms',
      verdict(s.hitOverEmbedP50 <= 2),
    ],
    [
      'miss p50 - pure proxy p50',
      `${ms(s.missOverProxyP50)} ms (embedder p50 on the same prompts ${ms(s.embedMissPromptsP50)}; excess ${ms(s.missOverheadOverEmbedP50)})`,
      '<= embedder p50 + 2 ms',
      verdict(s.missOverheadOverEmbedP50 <= 2),
    ],
    [
      'miss p50 - pure proxy p50, new conversation',
      `${ms(s.missNewOverProxyP50)} ms (the answer still waits for its vector, to be stored with it)`,
      '<= 3 ms',
      verdict(s.missNewOverProxyP50 <= 3),
    ],
    [
      `hit req/s, ${concurrency} distinct prompts in flight vs one at a time`,
      `${Math.round(s.hitRpsCN)} / ${Math.round(s.hitRpsC1)} = ${s.hitThroughputRatio.toFixed(2)}x (p50 at c=${concurrency}: ${ms(s.hitP50AtConcurrency)} ms)`,
      '>= 1.6x',
      verdict(s.hitThroughputRatio >= 1.6),
    ],
    [
      `(for comparison) embedder alone in-process, embeds/s at c=${concurrency} vs c=1`,
      `${Math.round(s.embedRpsCN)} / ${Math.round(s.embedRpsC1)} = ${s.embedThroughputRatio.toFixed(2)}x`,
      '—',
      '—',
    ],
  ],
);
const out = [
  '### Cache latency\n',
  latencyTable,
  '',
  targetTable,
  '',
  `Medians over ${rounds} interleaved rounds of ${count} requests per measurement (exact hits: ${count * 2}; hit throughput: ${throughputCount} at c=${concurrency}). ` +
    `${hitPrompts.length} distinct semantic-hit prompts (variants of ${BASE_QUESTIONS.length} stored questions, similarity ${Math.min(...similarities).toFixed(4)}-${Math.max(...similarities).toFixed(4)}), every response's x-semcache-status checked. ` +
    `SEMCACHE_EMBEDDER=${args.embedder}, SEMCACHE_EMBED_WORKERS=${workers}, log level info. 1-minute load average after each round: ${s.loadAverage.map((x) => x.toFixed(1)).join(', ')} (2 cores).`,
];
if (problems.length > 0) out.push(`\nPROBLEMS (${problems.length}):\n${problems.slice(0, 20).join('\n')}`);
console.log(out.join('\n'));

const roundRaw = (o) => JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' ? round(v, 4) : v)));
const file = writeResults(`cache-latency-${args.embedder}${upstreamMs > 0 ? `-upstream-${upstreamMs}ms` : ''}`, {
  command: `node bench/cache-latency.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  settings: {
    rounds,
    count,
    concurrency,
    throughputCount,
    workers,
    embedder: args.embedder,
    hitPrompts: hitPrompts.length,
    candidatesTried,
    similarityRange: [Math.min(...similarities), Math.max(...similarities)],
  },
  summary: roundRaw(summary),
  rounds: roundRaw(raw),
  problems,
});
console.error(`raw figures: ${file}`);
