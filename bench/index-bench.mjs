// Vector index benchmark: near-duplicate recall@1 and search latency of the HNSW index for several
// efSearch values, and where HNSW starts to beat the flat scan (the semantic tier's promotion point).
//
//   npm run build && node bench/index-bench.mjs [--count 100000] [--queries 2000] [--dimension 512]
//     [--m 32] [--ef-construction 200] [--ef 10,16,32,64,128,200] [--crossover 64,128,256,512,1024,2048,4096]
//
// Stored vectors are random unit vectors; each query is a stored vector plus Gaussian noise,
// renormalised to a cosine of 0.95-0.98 with its original, like a paraphrased prompt. Seeded, so
// runs are comparable.

import { parseArgs } from 'node:util';
import { createHnswIndex } from '../dist/index/hnsw-index.js';
import { createFlatIndex } from '../dist/index/flat-index.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '2000' },
    dimension: { type: 'string', default: '512' },
    m: { type: 'string', default: '32' },
    'ef-construction': { type: 'string', default: '200' },
    ef: { type: 'string', default: '10,16,32,64,128,200' },
    crossover: { type: 'string', default: '64,128,256,512,1024,2048,4096' },
  },
});
const count = Number(args.count);
const queryCount = Number(args.queries);
const dimension = Number(args.dimension);
const m = Number(args.m);
const efConstruction = Number(args['ef-construction']);
const efValues = args.ef.split(',').map(Number);
const crossoverSizes = args.crossover ? args.crossover.split(',').map(Number) : [];

function createRandom(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, gaussian };
}

function normalise(v) {
  let norm = 0;
  for (const x of v) norm += x * x;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] *= scale;
  return v;
}

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const random = createRandom(20240501);
const unitVector = () => normalise(Float32Array.from({ length: dimension }, random.gaussian));

// cos = 1/sqrt(1 + dimension * sigma^2) for a unit vector plus N(0, sigma^2) noise per component.
const sigmaFor = (cos) => Math.sqrt((1 / (cos * cos) - 1) / dimension);
function nearDuplicate(base) {
  const sigma = sigmaFor(0.95 + random.uniform() * 0.03);
  return normalise(base.map((x) => x + sigma * random.gaussian()));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function timeSearches(index, queries, k) {
  const latencies = [];
  const results = [];
  for (const { vector } of queries) {
    const start = process.hrtime.bigint();
    results.push(index.search(vector, k));
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  return { latencies, results };
}

function recallSection() {
  const stored = Array.from({ length: count }, unitVector);
  const queries = Array.from({ length: queryCount }, () => {
    const target = Math.floor(random.uniform() * count);
    const vector = nearDuplicate(stored[target]);
    return { target, vector, cosine: dot(vector, stored[target]) };
  });
  const meanCosine = queries.reduce((s, q) => s + q.cosine, 0) / queries.length;

  const rssBefore = process.memoryUsage().rss;
  const buildStart = process.hrtime.bigint();
  const index = createHnswIndex({ dimension, m, efConstruction, initialCapacity: count });
  stored.forEach((v, label) => index.add(label, v));
  const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9;
  const rssGrowth = process.memoryUsage().rss - rssBefore;

  console.log(`## HNSW near-duplicate recall (${count} random unit vectors, dimension ${dimension})\n`);
  console.log(`M=${m}, efConstruction=${efConstruction}, ${queryCount} queries, mean query cosine to its original ${meanCosine.toFixed(3)}`);
  console.log(
    `build ${buildSeconds.toFixed(1)} s (${((buildSeconds * 1e6) / count).toFixed(0)} µs/vector); index.bytes estimate ${(index.bytes / 2 ** 20).toFixed(0)} MiB, RSS growth during build ${(rssGrowth / 2 ** 20).toFixed(0)} MiB\n`,
  );
  console.log('| efSearch | recall@1 | p50 ms | p99 ms | max ms |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const ef of efValues) {
    index.efSearch = ef;
    timeSearches(index, queries.slice(0, 200), 1); // warm-up
    const { latencies, results } = timeSearches(index, queries, 1);
    const hits = results.filter((found, i) => found[0]?.label === queries[i].target).length;
    console.log(
      `| ${ef} | ${(hits / queries.length).toFixed(4)} | ${percentile(latencies, 0.5).toFixed(3)} | ${percentile(latencies, 0.99).toFixed(3)} | ${latencies[latencies.length - 1].toFixed(3)} |`,
    );
  }
}

function crossoverSection() {
  console.log(`\n## Flat scan vs HNSW (default efSearch) by partition size, k=1, dimension ${dimension}\n`);
  console.log('| vectors | flat p50 ms | flat p99 ms | HNSW p50 ms | HNSW p99 ms | HNSW recall@1 |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const size of crossoverSizes) {
    const flat = createFlatIndex(dimension);
    const hnsw = createHnswIndex({ dimension, m, efConstruction, initialCapacity: size });
    const stored = Array.from({ length: size }, unitVector);
    stored.forEach((v, label) => {
      flat.add(label, v);
      hnsw.add(label, v);
    });
    const queries = Array.from({ length: 500 }, () => ({ vector: nearDuplicate(stored[Math.floor(random.uniform() * size)]) }));
    timeSearches(flat, queries.slice(0, 100), 1);
    timeSearches(hnsw, queries.slice(0, 100), 1);
    const exact = timeSearches(flat, queries, 1);
    const approx = timeSearches(hnsw, queries, 1);
    const agree = approx.results.filter((found, i) => found[0]?.label === exact.results[i][0]?.label).length;
    console.log(
      `| ${size} | ${percentile(exact.latencies, 0.5).toFixed(3)} | ${percentile(exact.latencies, 0.99).toFixed(3)} | ${percentile(approx.latencies, 0.5).toFixed(3)} | ${percentile(approx.latencies, 0.99).toFixed(3)} | ${(agree / queries.length).toFixed(4)} |`,
    );
  }
}

if (count > 0) recallSection();
if (crossoverSizes.length > 0) crossoverSection();
