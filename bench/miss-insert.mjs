// What a miss waits for between the upstream's answer and its own headers: `engine.store()`, which
// used to insert the vector into the semantic index before returning (an HNSW insertion into a
// large partition takes milliseconds), and now leaves it for the end of the turn of the event loop
// (or the next search). This checkout's build against another's (e.g. a worktree of the commit
// before), each with one partition filled to --entries random 512-d vectors (HNSW past 1,024), the
// memory store and a stand-in embedder (the embedding is not what is measured). Then --stores new
// entries, one per turn: the time `store()` takes, and the longest turn of the event loop (the
// insertion still runs on it, after the answer).
//
//   npm run build && node bench/miss-insert.mjs [--entries 20000] [--stores 300] [--other ../wt-old/dist]

import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable, writeResults } from './lib/report.mjs';
import { seededUnitVectors } from './lib/vectors.mjs';
import { round, summarize } from './lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    entries: { type: 'string', default: '20000' },
    stores: { type: 'string', default: '300' },
    other: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/miss-insert.mjs [--entries 20000] [--stores 300] [--other <dist/ of another build>]');
  process.exit(0);
}
const entries = Number(args.entries);
const stores = Number(args.stores);
const DIM = 512;

const completion = {
  endpoint: 'chat',
  model: 'm',
  systemFingerprint: null,
  choices: [{ index: 0, finishReason: 'stop', message: { role: 'assistant', content: 'an answer' } }],
  usage: undefined,
};
const key = (i) => ({ semanticText: `prompt ${i}`, promptText: `prompt ${i}`, context: 'ctx', exactKey: `exact:${i}`, bypassReason: undefined });
const nextTurn = () => new Promise((r) => setImmediate(r));

async function measure(name, dist) {
  const load = (path) => import(pathToFileURL(join(dist, path)).href);
  const [{ createCacheEngine }, { createMemoryStore }, { createGuardStage }] = await Promise.all([
    load('cache/cache-engine.js'),
    load('store/memory-store.js'),
    load('cache/guards/index.js'),
  ]);
  const embedder = {
    modelId: 'bench-512',
    dimension: DIM,
    embed: async () => [],
    embedTimed: async () => ({ vectors: [], computeMs: 0 }),
    close: async () => {},
  };
  const store = createMemoryStore({ maxEntries: entries + stores + 10, maxBytes: 1e12, ttlMs: 0 });
  const engine = createCacheEngine({ semanticEnabled: true, embedder, guards: createGuardStage([]), store });
  await engine.open();
  const started = performance.now();
  seededUnitVectors(entries, 1, DIM).forEach((vector, i) => engine.store(key(i), completion, vector, { tenant: 't', model: 'm' }));
  engine.stats(); // indexes what waits
  const fillSeconds = (performance.now() - started) / 1000;

  const storeMs = [];
  let longestTurn = 0;
  for (const [i, vector] of seededUnitVectors(stores, 2, DIM).entries()) {
    const turn = performance.now();
    const t0 = performance.now();
    engine.store(key(entries + i), completion, vector, { tenant: 't', model: 'm' });
    storeMs.push(performance.now() - t0);
    await nextTurn();
    await nextTurn();
    longestTurn = Math.max(longestTurn, performance.now() - turn);
  }
  const vectors = engine.stats().vectors;
  if (vectors !== entries + stores) throw new Error(`${name}: ${vectors} vectors indexed, expected ${entries + stores}`);
  const s = summarize(storeMs);
  console.log(
    `${name}: filled ${entries} in ${fillSeconds.toFixed(1)} s; store() p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms; longest turn ${longestTurn.toFixed(2)} ms`,
  );
  return { name, dist, fillSeconds: round(fillSeconds, 1), store: s, longestTurnMs: round(longestTurn, 2) };
}

const results = [await measure('this', resolve('dist'))];
if (args.other !== undefined) results.push(await measure('other', resolve(args.other)));
console.log(`\n### A miss's wait for storing its entry, ${entries} entries in the partition\n`);
console.log(
  markdownTable(
    ['build', 'store() p50 ms', 'store() p99 ms', 'longest turn of the event loop ms (store and index)'],
    results.map((r) => [r.name, r.store.p50.toFixed(3), r.store.p99.toFixed(3), r.longestTurnMs.toFixed(2)]),
  ),
);
writeResults('miss-insert', { entries, stores, results });
