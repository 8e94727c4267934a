// Guard stage cost per candidate: both prompts tokenised and every default guard run, as a semantic
// hit pays it; with a similarity below the support guard's confident level (its words are counted
// too) and at the default threshold (nothing to count).
//
//   npm run build && node bench/guard-stage.mjs [--file ../shared/data/pairs-dev.tsv] [--rounds 3]
//
// Every pair of the file is checked once per round, in file order; the first round warms up the JIT
// and is left out of the figures. Then long prompts at the default SEMCACHE_GUARD_MAX_WORDS (256):
// 240 whitespace-separated words of the file's texts (under the limit as the tokeniser counts) with
// a few words changed, and an adversarial 256-word pair (every word distinct, half of them one
// letter apart); and 8,000 words, which the stage refuses for length.

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

function prose(words) {
  const out = [];
  for (const [a] of pairs) {
    out.push(...a.split(/\s+/));
    if (out.length >= words) break;
  }
  return out.slice(0, words).join(' ');
}
// Letters only (words with digits skip the spelling checks), all sharing a prefix, so the spelling
// indexes put them in one bucket: the worst case for the word lookups.
function letters(n) {
  let out = '';
  for (let k = 0; k < 3; k++, n = Math.floor(n / 26)) out += String.fromCharCode(97 + (n % 26));
  return out;
}
function adversarial(words, variant) {
  return Array.from({ length: words }, (_, i) => `term${letters(i)}${letters((i * 7919) % 5000)}${variant && i % 2 === 0 ? 'q' : ''}`).join(' ');
}
// Whitespace-separated words; the tokeniser may count a few more, so stay under 256.
const text256 = prose(240);
const text8000 = prose(8000);
const long = {
  '240 words of prose, a few changed': [text256, text256.replace(/ the /g, ' a ').replace(/\?/, '.')],
  '256 distinct words, half one letter apart': [adversarial(256, false), adversarial(256, true)],
  '8,000 words (refused for length)': [text8000, text8000.replace(/ the /, ' a ')],
};
const longRows = [];
for (const [name, [a, b]] of Object.entries(long)) {
  const samples = [];
  for (let r = 0; r < 21; r++) {
    const started = performance.now();
    const verdict = stage.check(a, b, { similarity: 0.92, threshold: 0.9 });
    if (r > 0) samples.push(performance.now() - started);
    if (r === 0) longRows.push({ case: name, verdict: verdict.pass ? 'pass' : verdict.guard });
  }
  const s = summarize(samples);
  Object.assign(longRows[longRows.length - 1], { p50Ms: round(s.p50, 2), maxMs: round(Math.max(...samples), 2) });
}
console.log('long prompts, 20 checks each (after one warm-up), at 0.92 against a 0.90 threshold');
console.table(longRows);
