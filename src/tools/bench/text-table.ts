// A table rendered two ways from the same rows: aligned text for the terminal, Markdown for the
// report, so the two can never disagree.

export interface TextTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export function renderText(table: TextTable): string {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [table.title, line(table.header), rule, ...table.rows.map(line)].join('\n');
}

export function renderMarkdown(table: TextTable): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const line = (row: readonly string[]): string => `| ${row.map(escape).join(' | ')} |`;
  const align = `|${table.header.map((_, c) => (c === 0 ? '---' : '---:')).join('|')}|`;
  return [`### ${table.title}`, '', line(table.header), align, ...table.rows.map(line)].join('\n');
}

/** Fixed decimals, or '-' for a figure that does not exist (no hits: no precision). */
export function fmt(value: number | null | undefined, decimals = 3): string {
  return value === null || value === undefined ? '-' : value.toFixed(decimals);
}

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return `$${value.toFixed(Math.abs(value) >= 1 ? 2 : 6)}`;
}
