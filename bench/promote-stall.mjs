// The add that promotes a partition from its flat index to HNSW: how long it holds the event loop,
// this checkout's build against another's (e.g. a worktree of the commit before). Random 512-d unit
// vectors are added one at a time to one partition of the semantic tier, past its promotion point;
// the slowest add and its position are reported, each build --rounds times, alternating.
//
//   npm run build && node bench/promote-stall.mjs [--vectors 1100] [--other ../wt-old/dist] [--rounds 3]

import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable, writeResults } from './lib/report.mjs';
import { median } from './lib/stats.mjs';
import { seededUnitVectors } from './lib/vectors.mjs';

const { values: args } = parseArgs({
  options: {
    vectors: { type: 'string', default: '1100' },
    other: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/promote-stall.mjs [--vectors 1100] [--other <dist/ of another build>] [--rounds 3]');
  process.exit(0);
}
const count = Number(args.vectors);
const rounds = Number(args.rounds);
const DIM = 512;

const builds = [{ name: 'this', dist: resolve('dist') }, ...(args.other === undefined ? [] : [{ name: 'other', dist: resolve(args.other) }])];
for (const build of builds) build.tier = await import(pathToFileURL(join(build.dist, 'cache/semantic-tier.js')).href);

const vectors = seededUnitVectors(count, 9, DIM);
const results = Object.fromEntries(builds.map((b) => [b.name, []]));
for (let r = 0; r < rounds; r++) {
  for (const build of r % 2 === 0 ? builds : [...builds].reverse()) {
    const tier = build.tier.createSemanticTier({ dimension: DIM });
    let slowest = 0;
    let at = 0;
    vectors.forEach((vector, label) => {
      const started = performance.now();
      tier.add('p', label, vector);
      const ms = performance.now() - started;
      if (ms > slowest) [slowest, at] = [ms, label + 1];
    });
    results[build.name].push({ slowestMs: slowest, at });
    console.log(`round ${r + 1} ${build.name}: slowest add ${slowest.toFixed(1)} ms, the add of vector ${at}`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // lets a sliced build finish
  }
}
console.log(`\n### The slowest add to one partition of ${count} vectors (medians of ${rounds})\n`);
console.log(
  markdownTable(
    ['build', 'slowest add ms', 'at vector'],
    builds.map((b) => [b.name, median(results[b.name].map((x) => x.slowestMs)).toFixed(1), String(results[b.name][0].at)]),
  ),
);
writeResults('promote-stall', { count, rounds, results });
