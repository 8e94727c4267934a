// The pairs file (`label<TAB>text_a<TAB>text_b`, optionally `<TAB>kind`, a header line first, no
// quoting: a `"` is a literal character) and the label-1 relation over its texts. `kind` names the
// group a row belongs to (bench/fixtures/role-swaps.tsv: `swap`, `voice`, ...) for reports by group.
import { normalizeForExact } from '../../cache/normalize.js';

export interface PairRow {
  readonly label: 0 | 1;
  readonly textA: string;
  readonly textB: string;
  /** The row's group, from an optional fourth column. */
  readonly kind?: string;
}

export class BenchInputError extends Error {
  override readonly name = 'BenchInputError';
}

/** Parses the whole file; `limit` keeps the first rows. Every bad line is reported in one error. */
export function parsePairs(text: string, limit = Number.POSITIVE_INFINITY): PairRow[] {
  const rows: PairRow[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length && rows.length < limit; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') continue;
    const fields = line.split('\t');
    const [label, textA, textB, kind] = fields;
    if (fields.length < 3 || fields.length > 4 || (label !== '0' && label !== '1') || !textA || !textB || kind === '') {
      problems.push(`line ${i + 1}: expected label(0|1)<TAB>text_a<TAB>text_b[<TAB>kind]`);
      continue;
    }
    const row = { label: label === '1' ? 1 : 0, textA, textB } as const;
    rows.push(kind === undefined ? row : { ...row, kind });
  }
  if (problems.length > 0)
    throw new BenchInputError(`pairs file: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`);
  return rows;
}

/** Whether two texts mean the same by the file's own labels: the transitive closure of label-1
 * pairs (a union-find over texts), because the same question recurs in several rows. */
export interface SameMeaning {
  same(a: string, b: string): boolean;
}

export function sameMeaningOf(rows: readonly PairRow[]): SameMeaning {
  const parent = new Map<string, string>();
  const find = (text: string): string => {
    let root = text;
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) root = up;
    // Path compression keeps the 10k-text relation cheap to query.
    let node = text;
    while (node !== root) {
      const up = parent.get(node) ?? root;
      parent.set(node, root);
      node = up;
    }
    return root;
  };
  for (const row of rows) {
    if (row.label !== 1) continue;
    const a = find(normalizeForExact(row.textA));
    const b = find(normalizeForExact(row.textB));
    if (a !== b) parent.set(a, b);
  }
  return { same: (a, b) => find(normalizeForExact(a)) === find(normalizeForExact(b)) };
}
