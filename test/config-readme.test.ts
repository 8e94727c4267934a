// The README's configuration table and every command's --help are made from the reads that parse
// the settings and the tools' own flag tables: these tests fail when they disagree.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../src/config.js';
import { DEFAULT_SERVE_STORE } from '../src/config-store.js';
import { markdownConfigTable, readmeConfigTable } from '../src/flag-help.js';
import { BENCH_FLAGS } from '../src/tools/bench/bench-args.js';
import { CALIBRATE_FLAGS } from '../src/tools/calibrate/calibrate-args.js';
import { SIM_FLAGS } from '../src/tools/sim/sim-options.js';

const run = promisify(execFile);
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const settings = describeConfig({ store: DEFAULT_SERVE_STORE });

describe('the configuration table', () => {
  it('is in the README exactly as the code describes it (node scripts/config-table.mjs --write to update)', () => {
    expect(readmeConfigTable(README)).toBe(markdownConfigTable(settings));
  });

  it('names every setting once, each with a meaning, and each accepted as a flag and a variable', () => {
    const names = settings.map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(45);
    for (const setting of settings) {
      expect(setting.help.length, setting.env).toBeGreaterThan(10);
      expect(setting.env).toBe(`SEMCACHE_${setting.name}`);
    }
    // A flag the config does not read is refused; every described one is read.
    expect(() => loadConfig({}, ['--not-a-setting', '1'])).toThrow('unknown flag --not-a-setting');
    expect(() =>
      loadConfig(
        {},
        settings.flatMap((s) => [s.flag, s.name === 'PORT' ? '1' : 'x']),
      ),
    ).not.toThrow(/unknown flag/);
  });

  it('shows the defaults loadConfig applies', () => {
    const config = loadConfig({});
    const byName = new Map(settings.map((s) => [s.name, s.default]));
    expect(byName.get('PORT')).toBe(String(config.server.port));
    expect(byName.get('THRESHOLD')).toBe(String(config.cache.threshold));
    expect(byName.get('TTL_SECONDS')).toBe(String(config.cache.ttlSeconds));
    expect(byName.get('RECENT_LOOKUPS')).toBe(String(config.admin.recentLookups));
    expect(byName.get('LOG_LEVEL')).toBe(config.server.logLevel);
  });
});

describe('--help on every command', () => {
  const help = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [CLI, ...args]);
    return stdout;
  };
  /** A flag's two lines: the flag, its value, variable and default; then its meaning (code marks dropped). */
  const entry = (flag: string, value: string, env: string | undefined, fallback: string, meaning: string): string =>
    `  ${flag}${value === '' ? '' : ` ${value}`}`.padEnd(40) +
    ` ${env ?? 'flag only'}, default: ${fallback.replaceAll('`', '')}\n      ${meaning.replaceAll('`', '')}\n`;

  it('serve lists every setting with its flag, variable, default and meaning', async () => {
    const text = await help('serve', '--help');
    for (const s of settings) expect(text).toContain(entry(s.flag, s.value, s.env, s.default, s.help));
  });

  it('sim-upstream, bench and calibrate list every flag of their tables; demo lists --once and the proxy flags', async () => {
    const [sim, bench, calibrate, demo] = await Promise.all([
      help('sim-upstream', '--help'),
      help('bench', '--help'),
      help('calibrate', '--help'),
      help('demo', '--help'),
    ]);
    for (const [flag, spec] of Object.entries(SIM_FLAGS)) expect(sim).toContain(entry(flag, spec.value, undefined, spec.default, spec.help));
    for (const [name, spec] of Object.entries(BENCH_FLAGS)) expect(bench).toContain(entry(`--${name}`, spec.value, undefined, spec.default, spec.help));
    for (const [name, spec] of Object.entries(CALIBRATE_FLAGS)) expect(calibrate).toContain(entry(`--${name}`, spec.value, undefined, spec.default, spec.help));
    expect(demo).toContain('--once');
    expect(demo).toMatch(/--admin-token <text>\s+flag only, default: demo-admin/);
    expect(demo).toContain('--threshold <number 0..1>');
  });

  it('answers an unknown command on stderr with exit code 2', async () => {
    await expect(run(process.execPath, [CLI, 'serv'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command serv') });
  });
});
