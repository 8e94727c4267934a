// `--help` text and the README's configuration table, made from the tables that also parse the
// flags (the config reader's description of every setting, and each tool's own flag table), so
// that neither can drift from what the code reads.
import type { SettingDescription } from './config-reader.js';

export interface FlagHelp {
  /** e.g. --port */
  readonly flag: string;
  /** What the flag takes, e.g. `<int 0..65535>`; '' for a flag that takes nothing. */
  readonly value: string;
  /** The environment variable that sets it too, when there is one. */
  readonly env: string | undefined;
  readonly default: string;
  /** One line of meaning. */
  readonly help: string;
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function settingFlags(settings: readonly SettingDescription[]): FlagHelp[] {
  return settings.map((s) => ({ flag: s.flag, value: s.value, env: s.env, default: s.default, help: s.help }));
}

/** Markdown code spans read as plain text in a terminal. */
function plain(text: string): string {
  return text.replaceAll('`', '');
}

/** Each flag on two lines: the flag, its value, variable and default; then its meaning. */
export function formatFlagHelp(usage: string, flags: readonly FlagHelp[], footer = ''): string {
  const lines = [usage, ''];
  for (const f of flags) {
    const head = `  ${f.flag}${f.value === '' ? '' : ` ${f.value}`}`;
    const where = `${f.env ?? 'flag only'}, default: ${plain(f.default)}`;
    lines.push(`${head.padEnd(40)} ${where}`, `      ${plain(f.help)}`);
  }
  if (footer !== '') lines.push('', footer);
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The README's configuration table: one row per setting. */
export function markdownConfigTable(settings: readonly SettingDescription[]): string {
  const rows = settings.map((s) => `| \`${s.env}\` | ${cell(s.default)} | ${cell(s.help)} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

export const CONFIG_TABLE_START = '<!-- config-table: made by scripts/config-table.mjs from src/config*.ts; do not edit by hand -->';
export const CONFIG_TABLE_END = '<!-- end of config-table -->';

/** The README's text between the markers (the configuration table), or undefined without them. */
export function readmeConfigTable(readme: string): string | undefined {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  return start < 0 || end < start ? undefined : readme.slice(start + CONFIG_TABLE_START.length, end).trim();
}

export function replaceConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no config-table markers');
  return `${readme.slice(0, start + CONFIG_TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
