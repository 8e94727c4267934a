// Guard stage cost per candidate: both prompts tokenised and every default guard run, as a semantic
// hit pays it; with a similarity below the support guard's confident level (its words are counted
// too) and at the default threshold (nothing to count).
//
//   npm run build && node bench/guard-stage.mjs [--file ../shared/data/pairs-dev.tsv] [--rounds 3]
//
// Every pair of the file is checked once per round, in file order; the first round warms up the JIT
// and is left out of the figures.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGuardStage, DEFAULT_GUARD_NAMES } from '../dist/cache/guards/index.js';
import { round, summarize } from './lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    file: { type: 'string', default: '../shared/data/pairs-dev.tsv' },
    rounds: { type: 'string', default: '3' },
  },
});
const pairs = readFileSync(args.file, 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => line.split('\t'))
  .map(([, a, b]) => [a, b]);
const stage = createGuardStage(DEFAULT_GUARD_NAMES);
const cases = {
  'at 0.95 (no support charge)': { similarity: 0.96, threshold: 0.95 },
  'at 0.90 (support counts words)': { similarity: 0.92, threshold: 0.9 },
};

const rows = [];
for (const [name, score] of Object.entries(cases)) {
  const samples = [];
  for (let r = 0; r < Number(args.rounds) + 1; r++) {
    for (const [a, b] of pairs) {
      const started = performance.now();
      stage.check(a, b, score);
      if (r > 0) samples.push(performance.now() - started);
    }
  }
  const s = summarize(samples);
  rows.push({ case: name, checks: s.n, p50Us: round(s.p50 * 1000, 1), p99Us: round(s.p99 * 1000, 1), meanUs: round(s.mean * 1000, 1) });
}
console.log(`guard stage on ${pairs.length} pairs of ${args.file}, ${args.rounds} rounds (after one warm-up)`);
console.table(rows);
