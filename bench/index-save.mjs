// Saving the semantic index while serving: how long the event loop stalls during a save (the
// snapshot of one HNSW partition: the hnswlib file, its labels, their SHA-256 and the manifest),
// this checkout's build against another's (e.g. a worktree of the commit before). The
// index is built once (random unit vectors; a low efConstruction to build fast: the file's size and
// the write's work do not depend on it), saved, and loaded by each build; each then saves it again
// while a 1 ms timer measures the longest gap between its turns and a loop of searches (one per turn
// of the event loop) counts the lookups answered during the save. Builds alternate, --rounds times.
//
//   npm run build && node bench/index-save.mjs [--vectors 100000] [--other ../wt-old/dist] [--rounds 3]

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable, writeResults } from './lib/report.mjs';
import { median } from './lib/stats.mjs';
import { seededUnitVectors } from './lib/vectors.mjs';

const { values: args } = parseArgs({
  options: {
    vectors: { type: 'string', default: '100000' },
    dimension: { type: 'string', default: '512' },
    other: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/index-save.mjs [--vectors 100000] [--dimension 512] [--other <dist/ of another build>] [--rounds 3]');
  process.exit(0);
}
const count = Number(args.vectors);
const dimension = Number(args.dimension);
const rounds = Number(args.rounds);

const builds = [{ name: 'this', dist: resolve('dist') }, ...(args.other === undefined ? [] : [{ name: 'other', dist: resolve(args.other) }])];
for (const build of builds) {
  build.hnsw = await import(pathToFileURL(join(build.dist, 'index/hnsw-index.js')).href);
  build.tier = await import(pathToFileURL(join(build.dist, 'cache/semantic-tier.js')).href);
  build.snapshot = await import(pathToFileURL(join(build.dist, 'cache/index-snapshot.js')).href);
}

const dir = mkdtempSync(join(tmpdir(), 'semcache-index-save-'));
const source = join(dir, 'source.hnsw');
const started = performance.now();
const built = builds[0].hnsw.createHnswIndex({ dimension, initialCapacity: count, efConstruction: 40 });
seededUnitVectors(count, 1, dimension).forEach((vector, label) => built.add(label, vector));
await built.save(source);
console.log(
  `built ${count} vectors of ${dimension}-d in ${((performance.now() - started) / 1000).toFixed(1)} s; file ${(statSync(source).size / 2 ** 20).toFixed(0)} MiB`,
);
const queries = seededUnitVectors(256, 2, dimension);

async function measureSave(build) {
  const index = build.hnsw.loadHnswIndex(source, { dimension });
  const tier = build.tier.createSemanticTier({ dimension });
  tier.adopt('bench', index);
  let last = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 1);
  let searching = true;
  let searches = 0;
  const searchLoop = () => {
    if (!searching) return;
    index.search(queries[searches % queries.length], 4);
    searches++;
    setImmediate(searchLoop);
  };
  await new Promise((r) => setTimeout(r, 50));
  last = performance.now();
  longestGap = 0;
  searches = 0;
  setImmediate(searchLoop);
  const t0 = performance.now();
  await build.snapshot.saveSnapshot(join(dir, build.name), tier, { embedderId: 'bench', dimension });
  const saveMs = performance.now() - t0;
  searching = false;
  clearInterval(ticker);
  longestGap = Math.max(longestGap, performance.now() - last);
  return { saveMs, longestGapMs: longestGap, searches };
}

const results = Object.fromEntries(builds.map((b) => [b.name, []]));
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const build of order) {
    const result = await measureSave(build);
    results[build.name].push(result);
    console.log(
      `round ${r + 1} ${build.name}: save ${result.saveMs.toFixed(0)} ms, longest event-loop gap ${result.longestGapMs.toFixed(1)} ms, ${result.searches} searches answered during it`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });

const rows = builds.map((b) => {
  const runs = results[b.name];
  return [
    b.name,
    b.dist,
    median(runs.map((x) => x.saveMs)).toFixed(0),
    median(runs.map((x) => x.longestGapMs)).toFixed(1),
    String(median(runs.map((x) => x.searches))),
  ];
});
console.log(`\n### Saving a ${count}-vector index while serving (medians of ${rounds})\n`);
console.log(markdownTable(['build', 'dist', 'save ms', 'longest event-loop gap ms', 'searches answered during the save'], rows));
writeResults('index-save', { count, dimension, rounds, results });
