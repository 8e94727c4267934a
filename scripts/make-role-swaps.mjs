// Writes bench/fixtures/role-swaps.tsv: a labelled evaluation of role swaps, for `semcache calibrate`
// and `semcache bench pairs` (label<TAB>text_a<TAB>text_b<TAB>kind; 1 = same meaning).
//
// Two sources:
// - Wikipedia-style statements and questions written here from templates and invented names: each
//   stored sentence (text_a) is asked with its names or nouns exchanged (label 0, kind `swap`), with
//   the voice flipped in place (label 0, `voice-flip`), with list members moved between slots (label
//   0, `list-swap`), and in same-meaning rewordings: active/passive (`voice`), a fronted clause
//   (`fronting`), synonyms (`synonym`), whole list items or phrases reordered (`reorder`), and two
//   names exchanged across a symmetric join, "A and B", "A or B", "A vs B" (`symmetric`, label 1:
//   the decision documented in the README).
// - Texts sampled from the dev files (../shared/data, when present): two capitalised names of one
//   sentence exchanged (label 0, `dev-swap`; label 1, `dev-symmetric`, when only a symmetric join
//   stands between them), "from X to Y" reversed (`dev-swap`), and a closing "in <Name>" fronted
//   (`dev-fronting`, label 1). Pairs whose middle is a relation that reads both ways ("different
//   from", "similar to", "compared to") are left out: no rule labels them.
//
// Usage: node scripts/make-role-swaps.mjs [--data ../shared/data] [--out bench/fixtures/role-swaps.tsv]
// Deterministic: the same input gives the same bytes.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FILLERS, LONG_SENTENCES, ORDER_TEMPLATES, TEMPLATES } from './role-swap-templates.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(ROOT, '..', 'shared', 'data') },
    out: { type: 'string', default: join(ROOT, 'bench', 'fixtures', 'role-swaps.tsv') },
  },
});

/** mulberry32: a small seeded generator, so the file is the same on every run. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = random(20241204);
const pick = (list, avoid = []) => {
  for (;;) {
    const x = list[Math.floor(rand() * list.length)];
    if (!avoid.includes(x)) return x;
  }
};

/** Wikipedia dumps as tokenised for NLP sets put spaces around punctuation ("Henry 's son , ..."). */
function tokenisedStyle(text) {
  return text
    .replace(/'s\b/g, " 's")
    .replace(/([,;:.?!])(?=\s|$)/g, ' $1')
    .replace(/\s+/g, ' ');
}

const rows = [];
const add = (label, a, b, kind) => {
  if (a !== b) rows.push([label, a, b, kind]);
};

const DIFFERENT = ['swap', 'voice-flip', 'list-swap', 'order-flip'];

/** Each template filled a few times with distinct invented names. */
function fillTemplates(templates) {
  for (const template of templates) {
    for (let i = 0; i < template.fills; i++) {
      const slots = {};
      for (const [slot, kind] of Object.entries(template.slots)) slots[slot] = pick(FILLERS[kind], Object.values(slots));
      const out = template.make(slots);
      const style = rand() < 0.3 ? tokenisedStyle : (t) => t;
      const base = style(out.base);
      for (const [kind, texts] of Object.entries(out)) {
        if (kind === 'base') continue;
        for (const text of [texts].flat()) add(DIFFERENT.includes(kind) ? 0 : 1, base, style(text), kind);
      }
    }
  }
}
fillTemplates(TEMPLATES);

// Long sentences: [X] and [Y] exchanged, and the rewordings written with them.
for (const { text, x, y, same } of LONG_SENTENCES) {
  const fill = (t, first, second) => t.replace('[X]', first).replace('[Y]', second);
  const style = rand() < 0.3 ? tokenisedStyle : (t) => t;
  const base = style(fill(text, x, y));
  add(0, base, style(fill(text, y, x)), 'swap');
  for (const t of same) add(1, base, style(fill(t, x, y)), 'reorder');
}

// Dev texts: names are capitalised words inside a sentence (runs of them: "New Zealand").
const NAME_RUN_RE = /(?<=[a-z,;]\s)(?<![A-Z][\w'’-]*\s)(?:[A-Z][\w'’-]*)(?:\s(?:[A-Z][\w'’-]*|of|de|van))*(?<!\s(?:of|de|van))/g;
const SYMMETRIC_MIDDLE_RE = /^\s+(?:and|or|vs\.?|versus|&)\s+(?:the\s+)?$/i;
// Middles no rule labels: relations that read both ways, and coordinations, where a swap may move a
// whole list item ("the YouTube channel or Telegram channel") or break an apposition ("Isparta, Turkey").
const EITHER_WAY_RE =
  /\b(?:different|differ|similar|same|compared?|comparison|related|relation|like|between|versus|vs|equal|equivalent|as|and|or|nor)\b|[,&/]/i;
const ARTICLES_ONLY_RE = /^\s*(?:(?:the|a|an)\s+)*$/i;
const FRONTABLE_RE = /^([A-Z][^?]*\S) (in|during|for) ((?:[A-Z][\w'’.-]*)(?: [A-Z][\w'’.-]*)*)\?$/;

function devTexts() {
  const pairsFile = join(args.data, 'pairs-dev.tsv');
  const streamFile = join(args.data, 'prompts-stream.jsonl');
  if (!existsSync(pairsFile) || !existsSync(streamFile)) return [];
  const quora = readFileSync(pairsFile, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .flatMap((l) => l.split('\t').slice(1, 3));
  const banking = readFileSync(streamFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).prompt);
  return [...new Set([...quora, ...banking])].filter((t) => t.length <= 160 && !t.includes('\n'));
}

function nameSwap(text) {
  const names = [...text.matchAll(NAME_RUN_RE)].filter((m) => !/^(?:I|I'm|I've|OK)$/.test(m[0]));
  // A possessive moved elsewhere garbles the sentence ("India policy towards Hillary Clinton's").
  if (names.some((m) => /['’]s$/.test(m[0]))) return undefined;
  if (names.length !== 2 || names[0][0] === names[1][0]) return undefined;
  const [x, y] = names;
  if (text.split(x[0]).length !== 2 || text.split(y[0]).length !== 2) return undefined;
  const middle = text.slice(x.index + x[0].length, y.index);
  // A name run cut short by a model number ("Hyundai i20 Active") would be swapped in pieces.
  if ([x, y].some((m) => /^\s[^\s]*\d/.test(text.slice(m.index + m[0].length)))) return undefined;
  if (ARTICLES_ONLY_RE.test(middle) || middle.split(/\s+/).length > 9 || /[.?!:]/.test(middle)) return undefined;
  const swapped = text.slice(0, x.index) + y[0] + middle + x[0] + text.slice(y.index + y[0].length);
  if (SYMMETRIC_MIDDLE_RE.test(middle)) return [1, swapped, 'dev-symmetric'];
  if (EITHER_WAY_RE.test(middle)) return undefined;
  return [0, swapped, 'dev-swap'];
}

function fromToSwap(text) {
  // Nouns only, as far as a pattern can tell: the word after "to" ends the phrase.
  const m = /\bfrom (?:my |the |a |one )?([a-z]{3,}) (?:account )?to (?:my |the |a |another )?([a-z]{3,})(?=[?.,!]|$| account| card| in | on | at | for )/.exec(
    text,
  );
  if (!m || m[1] === m[2] || text.split(` ${m[1]} `).length !== 2) return undefined;
  const at = m.index;
  const part = m[0]
    .replace(new RegExp(`\\b${m[1]}\\b`), '\u0000')
    .replace(new RegExp(`\\b${m[2]}\\b`), m[1])
    .replace('\u0000', m[2]);
  return [0, text.slice(0, at) + part + text.slice(at + m[0].length), 'dev-swap'];
}

function fronted(text) {
  const m = FRONTABLE_RE.exec(text);
  if (!m || /[:.;]/.test(m[1])) return undefined;
  const rest = /^(?:I|I'm|I've)\b/.test(m[1]) || /^[A-Z]{2}/.test(m[1]) ? m[1] : m[1][0].toLowerCase() + m[1].slice(1);
  const prep = m[2][0].toUpperCase() + m[2].slice(1);
  return [1, `${prep} ${m[3]}, ${rest}?`, 'dev-fronting'];
}

/** At most `n` of the texts a transform applies to, spread evenly over the file. */
function sample(texts, transform, n) {
  const made = texts.map((t) => [t, transform(t)]).filter(([, r]) => r !== undefined);
  const step = Math.max(1, made.length / n);
  const out = [];
  for (let i = 0; i < made.length && out.length < n; i += step) out.push(made[Math.floor(i)]);
  return out;
}

const dev = devTexts();
const devRows = [
  ...sample(
    dev,
    (t) => {
      const r = nameSwap(t);
      return r?.[0] === 0 ? r : undefined;
    },
    70,
  ),
  ...sample(
    dev,
    (t) => {
      const r = nameSwap(t);
      return r?.[0] === 1 ? r : undefined;
    },
    30,
  ),
  ...sample(dev, fromToSwap, 25),
  ...sample(dev, fronted, 40),
];
for (const [text, [label, other, kind]] of devRows) add(label, text, other, kind);

// Added later, from a generator of their own, so that the rows above are unchanged.
rand = random(20250611);
fillTemplates(ORDER_TEMPLATES);

const header = 'label\ttext_a\ttext_b\tkind';
writeFileSync(args.out, `${[header, ...rows.map((r) => r.join('\t'))].join('\n')}\n`);
const counts = {};
for (const [label, , , kind] of rows) counts[`${kind} (${label})`] = (counts[`${kind} (${label})`] ?? 0) + 1;
console.log(`wrote ${rows.length} pairs to ${args.out}${dev.length === 0 ? ' (dev files not found: templates only)' : ''}`);
console.log(counts);
