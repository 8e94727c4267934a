// Markdown tables on stdout and raw figures in bench/perf-results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

export function markdownTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map((r) => line(r.map(String)))].join('\n');
}

export function environment() {
  return { node: process.version, cores: availableParallelism(), cpu: cpus()[0]?.model, loadavgAtEnd: loadavg(), date: new Date().toISOString() };
}

export function writeResults(name, data) {
  const dir = new URL('../perf-results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  writeFileSync(file, `${JSON.stringify({ ...data, environment: environment() }, null, 2)}\n`);
  return file.pathname;
}

export const ms = (x) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
