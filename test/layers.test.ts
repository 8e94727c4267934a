// The layout of src/ (src/README.md): every folder imports only folders below it, so a request's
// path crosses each folder once, downhill; and the cache core stays free of HTTP.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Higher imports lower; equal ranks only within one folder (tools may use one another). */
const RANKS: ReadonlyArray<readonly [RegExp, number, string]> = [
  [/^cli\.ts$/, 9, 'cli'],
  [/^tools\//, 8, 'tools'],
  [/^server\.ts$/, 7, 'server'],
  [/^app\.ts$/, 6, 'app'],
  [/^pipeline\//, 5, 'pipeline'],
  [/^dashboard\//, 4.7, 'dashboard'],
  [/^admin\//, 4.5, 'admin'],
  [/^(cache|upstream|finops)\//, 4, 'core'],
  [/^(embed|store)\//, 3, 'embed, store'],
  [/^(index|openai)\//, 2, 'leaves'],
  [/^[^/]+\.ts$/, 1, 'base'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function rankOf(path: string): { rank: number; folder: string } {
  const rel = relative(SRC, path);
  const found = RANKS.find(([pattern]) => pattern.test(rel));
  if (found === undefined) throw new Error(`no layer for ${rel}`);
  const top = rel.split('/')[0] ?? rel;
  // Files at the top of src/ are one folder, as are the tools.
  return { rank: found[1], folder: found[2] === 'tools' || found[2] === 'base' ? found[2] : top };
}

const imports = files(SRC).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)].map((m) => ({ file, spec: m[1] ?? '' })),
);

describe('src layers', () => {
  it('reads the imports of every file', () => {
    expect(imports.length).toBeGreaterThan(300);
  });

  it('has no import that runs up the layers or sideways between folders', () => {
    const upward = imports
      .filter(({ spec }) => spec.startsWith('.'))
      .filter(({ file, spec }) => {
        const from = rankOf(file);
        const to = rankOf(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
        return to.rank > from.rank || (to.rank === from.rank && to.folder !== from.folder);
      })
      .map(({ file, spec }) => `${relative(SRC, file)} -> ${spec}`);
    expect(upward).toEqual([]);
  });

  it('keeps fastify, undici and the finops out of the cache core', () => {
    const http = imports
      .filter(({ file }) => relative(SRC, file).startsWith('cache/'))
      .filter(({ spec }) => spec === 'fastify' || spec === 'undici' || /\/(pipeline|upstream|finops|admin)\//.test(spec))
      .map(({ file, spec }) => `${relative(SRC, file)} -> ${spec}`);
    expect(http).toEqual([]);
  });
});
