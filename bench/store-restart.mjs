// Restart (issue 10), with `semcache serve` as an operator runs it (the built CLI, SIGTERM):
//  1. 10,000 prompts stored through the proxy (misses) on a SQLite file, SIGTERM (the index is
//     saved), start again: time to listen, and whether the same prompts are exact hits and their
//     paraphrases semantic hits at once.
//  2. A file of 100,000 entries in one partition (the base questions embedded by USE-lite, the rest
//     filler vectors), with its index saved: time from start until a paraphrase is a semantic hit;
//     then the same without the index file (rebuilt in the background): time to listen, until the
//     first semantic hit, and until the index has caught up.
//
//   npm run build && node bench/store-restart.mjs [--stored 10000] [--large 100000] [--skip-large]

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCacheEngine } from '../dist/cache/cache-engine.js';
import { createGuardStage } from '../dist/cache/guards/index.js';
import { requestKey } from '../dist/cache/request-key.js';
import { keyHash } from '../dist/credentials.js';
import { createEmbedder } from '../dist/embed/create-embedder.js';
import { openSqliteStore } from '../dist/store/sqlite-store.js';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, send, throughputRun } from './lib/load.mjs';
import { BASE_QUESTIONS, missPrompts, variantCandidates } from './lib/prompts.mjs';
import { markdownTable, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    stored: { type: 'string', default: '10000' },
    large: { type: 'string', default: '100000' },
    'skip-large': { type: 'boolean', default: false },
    'skip-small': { type: 'boolean', default: false },
    'skip-cold': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/store-restart.mjs [--stored 10000] [--large 100000] [--skip-small] [--skip-large] [--skip-cold]');
  process.exit(0);
}
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'semcache-restart-bench-'));
const sim = await startServer({ kind: 'sim' });
const results = {};

/** `semcache serve` on a store; resolves once it listens, with the times it took. */
async function serve(store) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--upstream-url', `${sim.origin}/v1`, '--store', store, '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      const match = /"origin":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output.slice(-2000)}`)));
  });
  const listeningMs = performance.now() - started;
  const line = output.split('\n').find((l) => l.includes('"msg":"cache store open"'));
  const opened = line === undefined ? undefined : JSON.parse(line);
  return {
    child,
    origin,
    started,
    listeningMs,
    opened:
      opened === undefined
        ? undefined
        : { openMs: opened.ms, entries: opened.entries, indexed: opened.indexed, indexBehind: opened.indexBehind, savedIndex: opened.savedIndex },
  };
}

async function stop(server) {
  const started = performance.now();
  server.child.kill('SIGTERM');
  const [code] = await once(server.child, 'exit');
  return { code, ms: performance.now() - started };
}

const statusOf = async (client, text, headers = {}) => (await send(client, chatRequest(text, { headers }))).headers['x-semcache-status'];

async function untilSemanticHit(client, prompts, since) {
  for (;;) {
    for (const text of prompts) if ((await statusOf(client, text, { 'cache-control': 'no-store' })) === 'semantic-hit') return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// 1. 10,000 entries through the proxy, SIGTERM, start again.
if (!args['skip-small']) {
  const store = `sqlite:${join(dir, 'small', 'cache.db')}`;
  const first = await serve(store);
  const client = createClient(first.origin, 8);
  for (const q of BASE_QUESTIONS) await send(client, chatRequest(q));
  const fillers = missPrompts(Number(args.stored) - BASE_QUESTIONS.length, 77);
  const fill = await throughputRun(
    client,
    (i) => chatRequest(fillers[i]),
    fillers.length,
    8,
    (r) => (r.headers['x-semcache-status'] === 'miss' ? undefined : `got ${r.headers['x-semcache-status']}`),
  );
  const paraphrases = [];
  for (const candidate of variantCandidates())
    if ((await statusOf(client, candidate.text, { 'cache-control': 'no-store' })) === 'semantic-hit') paraphrases.push(candidate.text);
  await client.close();
  const stopped = await stop(first);
  const second = await serve(store);
  const again = createClient(second.origin, 1);
  const firstSemantic = await untilSemanticHit(again, paraphrases, second.started);
  const sample = [...BASE_QUESTIONS, ...fillers.filter((_, i) => i % 20 === 0)];
  let exact = 0;
  for (const text of sample) exact += (await statusOf(again, text)) === 'exact-hit' ? 1 : 0;
  let semantic = 0;
  for (const text of paraphrases) semantic += (await statusOf(again, text, { 'cache-control': 'no-store' })) === 'semantic-hit' ? 1 : 0;
  await again.close();
  await stop(second);
  results.small = {
    entries: Number(args.stored),
    fillProblems: fill.problems.length,
    sigtermExitCode: stopped.code,
    sigtermMs: Math.round(stopped.ms),
    restartListeningMs: Math.round(second.listeningMs),
    restartFirstSemanticHitMs: Math.round(firstSemantic),
    exactHits: `${exact}/${sample.length}`,
    semanticHits: `${semantic}/${paraphrases.length}`,
    opened: second.opened,
  };
  console.error('10k restart:', results.small);
}

// 2. 100,000 entries in one partition, built in process, with and without the saved index.
if (!args['skip-large']) {
  const path = join(dir, 'large', 'cache.db');
  const embedder = await createEmbedder({ backend: { kind: 'use' }, workers: 2, maxBatch: 16 });
  const store = openSqliteStore({
    path,
    maxEntries: 1_000_000,
    maxBytes: 8 * 1024 ** 3,
    ttlMs: 24 * 3600 * 1000,
    onBadFile: 'fail',
    logger: console,
    flushMs: 50,
  });
  const engine = createCacheEngine({ semanticEnabled: true, embedder, guards: createGuardStage([]), store });
  await engine.open();
  const tenant = `key:${keyHash('sk-bench-key')}`;
  const keyOf = (text) => requestKey({ endpoint: 'chat', body: JSON.parse(chatRequest(text).body) }, { tenant, embedderId: embedder.modelId, query: '' });
  const completion = (text) => ({
    endpoint: 'chat',
    model: 'sim-model',
    systemFingerprint: null,
    choices: [{ index: 0, finishReason: 'stop', message: { role: 'assistant', content: `Answer to: ${text}` } }],
    usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
  });
  const built = performance.now();
  for (const q of BASE_QUESTIONS) engine.store(keyOf(q), completion(q), (await embedder.embed([q]))[0], { tenant, model: 'sim-model' });
  // Filler vectors: random unit vectors, far from every question (as unrelated prompts are).
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const total = Number(args.large);
  for (let i = BASE_QUESTIONS.length; i < total; i++) {
    const v = Float32Array.from({ length: embedder.dimension }, random);
    const norm = Math.hypot(...v);
    for (let j = 0; j < v.length; j++) v[j] /= norm;
    const text = `filler prompt ${i}`;
    engine.store(keyOf(text), completion(text), v, { tenant, model: 'sim-model' });
    if (i % 10_000 === 0) console.error(`built ${i}/${total} (${Math.round((performance.now() - built) / 1000)} s)`);
  }
  const buildSeconds = (performance.now() - built) / 1000;
  engine.saveIndex(join(dir, 'large', 'index'));
  await store.close();
  await embedder.close();
  const paraphrases = variantCandidates().map((c) => c.text);

  const warm = await serve(`sqlite:${path}`);
  const warmClient = createClient(warm.origin, 1);
  const warmFirstHit = await untilSemanticHit(warmClient, paraphrases, warm.started);
  await warmClient.close();
  await stop(warm);

  let withoutIndex;
  if (!args['skip-cold']) {
    rmSync(join(dir, 'large', 'index'), { recursive: true, force: true });
    const cold = await serve(`sqlite:${path}`);
    const coldClient = createClient(cold.origin, 1);
    const coldFirstHit = await untilSemanticHit(coldClient, paraphrases, cold.started);
    let caughtUpMs;
    for (;;) {
      const ready = await (await fetch(`${cold.origin}/readyz`)).json();
      if (ready.store?.indexBehind === 0) {
        caughtUpMs = performance.now() - cold.started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await coldClient.close();
    await stop(cold);
    withoutIndex = {
      listeningMs: Math.round(cold.listeningMs),
      firstSemanticHitMs: Math.round(coldFirstHit),
      indexCaughtUpMs: Math.round(caughtUpMs),
      opened: cold.opened,
    };
  }
  results.large = {
    entries: total,
    buildInProcessSeconds: Math.round(buildSeconds),
    withIndex: { listeningMs: Math.round(warm.listeningMs), firstSemanticHitMs: Math.round(warmFirstHit), opened: warm.opened },
    withoutIndex,
  };
  console.error('100k restart:', results.large);
}

await sim.close();
rmSync(dir, { recursive: true, force: true });
const rows = [];
if (results.small) {
  const s = results.small;
  rows.push([
    `${s.entries} entries, SIGTERM then start`,
    `${s.restartListeningMs} ms`,
    `${s.restartFirstSemanticHitMs} ms`,
    `exact ${s.exactHits}, semantic ${s.semanticHits}; SIGTERM exit ${s.sigtermExitCode} in ${s.sigtermMs} ms`,
  ]);
}
if (results.large) {
  const l = results.large;
  rows.push([`${l.entries} entries, saved index`, `${l.withIndex.listeningMs} ms`, `${l.withIndex.firstSemanticHitMs} ms`, '']);
  if (l.withoutIndex)
    rows.push([
      `${l.entries} entries, no index file`,
      `${l.withoutIndex.listeningMs} ms`,
      `${l.withoutIndex.firstSemanticHitMs} ms`,
      `index caught up after ${Math.round(l.withoutIndex.indexCaughtUpMs / 1000)} s`,
    ]);
}
console.log(markdownTable(['restart', 'listening after', 'first semantic hit after', 'notes'], rows));
writeResults('store-restart', results);
