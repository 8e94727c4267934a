// After a soak, every entry left in the cache is read back through the admin API (GET
// /admin/entries, a page at a time, then GET /admin/entries/:id) and must hold the whole answer
// the upstream gave for its own prompt, finished: an entry that holds an error, a cut answer or
// another prompt's answer came from a failed exchange.
import { normalizeForExact } from '../../../cache/normalize.js';
import type { AnswerBook } from './answer-book.js';

export interface EntryAudit {
  readonly checked: number;
  readonly fromFailedAnswers: number;
  readonly samples: readonly string[];
}

interface Listing {
  entries: Array<{ id: number }>;
  next_before: number | null;
}

interface StoredEntry {
  id: number;
  prompt: string;
  completion: { choices: Array<{ finishReason: string; message?: { content?: unknown }; text?: string }> };
}

const PAGE = 500;
const SAMPLES = 10;

/** What is wrong with the entry, or undefined when it is a whole answer to its own prompt. */
export function auditEntry(entry: StoredEntry, book: AnswerBook): string | undefined {
  const choice = entry.completion.choices[0];
  if (choice === undefined) return 'no choice';
  const content = typeof choice.text === 'string' ? choice.text : typeof choice.message?.content === 'string' ? choice.message.content : undefined;
  if (content === undefined) return 'no text';
  if (choice.finishReason !== 'stop') return `finished by ${JSON.stringify(choice.finishReason)}`;
  const traced = book.trace(content);
  if (traced.kind !== 'whole')
    return traced.kind === 'partial' ? `the beginning of the answer to ${JSON.stringify(traced.prompt)}` : 'an answer the upstream never gave';
  // Entries keep their prompt as the exact tier keys it (line ends unified, trailing blanks gone).
  if (entry.prompt !== '' && entry.prompt !== normalizeForExact(traced.prompt)) return `the answer to ${JSON.stringify(traced.prompt)}`;
  return undefined;
}

export async function auditEntries(origin: string, adminToken: string, book: AnswerBook): Promise<EntryAudit> {
  const headers = { authorization: `Bearer ${adminToken}` };
  /** undefined for an entry evicted since it was listed. */
  const get = async <T>(path: string): Promise<T | undefined> => {
    const response = await fetch(`${origin}${path}`, { headers });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  let checked = 0;
  let failed = 0;
  const samples: string[] = [];
  for (let before: number | null | undefined = undefined; before !== null;) {
    const page: Listing | undefined = await get<Listing>(`/admin/entries?limit=${PAGE}${before === undefined ? '' : `&before=${before}`}`);
    if (page === undefined) throw new Error('GET /admin/entries: 404 (is the admin API on?)');
    for (const { id } of page.entries) {
      const entry = await get<StoredEntry>(`/admin/entries/${id}`);
      if (entry === undefined) continue;
      checked++;
      const problem = auditEntry(entry, book);
      if (problem === undefined) continue;
      failed++;
      if (samples.length < SAMPLES) samples.push(`entry ${id} (${JSON.stringify(entry.prompt.slice(0, 80))}): ${problem}`);
    }
    before = page.next_before;
  }
  return { checked, fromFailedAnswers: failed, samples };
}
