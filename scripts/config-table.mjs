#!/usr/bin/env node
// Prints the README's configuration table, made from the reads that parse the settings (the same
// description `semcache serve --help` prints); with --write, puts it into README.md between its
// markers. test/config-readme.test.ts fails when README.md and the code disagree.
// Usage: npm run build && node scripts/config-table.mjs [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeConfig } from '../dist/config.js';
import { DEFAULT_SERVE_STORE } from '../dist/config-store.js';
import { markdownConfigTable, replaceConfigTable } from '../dist/flag-help.js';

const table = markdownConfigTable(describeConfig({ store: DEFAULT_SERVE_STORE }));
if (process.argv.includes('--write')) {
  const readme = fileURLToPath(new URL('../README.md', import.meta.url));
  writeFileSync(readme, replaceConfigTable(readFileSync(readme, 'utf8'), table));
} else {
  process.stdout.write(`${table}\n`);
}
