// --feedback true: every wrong hit is reported as a user would (POST /admin/feedback with the
// entry it came from and the prompt), then the same query is asked again: a blocked pairing must
// not come back, though the query may still find another entry.
import { request } from 'undici';
import type { ModeContext } from './mode-context.js';

export interface FeedbackOutcome {
  /** Wrong hits reported (those with an entry id). */
  readonly reported: number;
  /** feedback_blocks in /admin/stats afterwards. */
  readonly blocks: number;
  /** What the reported queries got when asked again. */
  readonly afterwards: { readonly misses: number; readonly correctHits: number; readonly wrongHits: number };
}

export type AskAgain = (prompt: string) => Promise<'miss' | 'correct' | 'wrong'>;

async function adminJson(context: ModeContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await request(`${context.stack.proxyOrigin}${path}`, {
    method,
    headers: { authorization: `Bearer ${context.stack.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.body.json()) as Record<string, unknown>;
  if (response.statusCode !== 200) throw new Error(`${method} ${path} answered ${response.statusCode}: ${JSON.stringify(json)}`);
  return json;
}

export async function reportWrongHits(
  context: ModeContext,
  wrong: ReadonlyArray<{ prompt: string; entryId: number | undefined }>,
  askAgain: AskAgain,
): Promise<FeedbackOutcome> {
  const reported = wrong.filter((w): w is { prompt: string; entryId: number } => w.entryId !== undefined);
  for (const { prompt, entryId } of reported) await adminJson(context, 'POST', '/admin/feedback', { entry_id: entryId, prompt });
  const afterwards = { misses: 0, correctHits: 0, wrongHits: 0 };
  for (const { prompt } of reported) {
    const outcome = await askAgain(prompt);
    if (outcome === 'miss') afterwards.misses += 1;
    else if (outcome === 'correct') afterwards.correctHits += 1;
    else afterwards.wrongHits += 1;
  }
  const stats = await adminJson(context, 'GET', '/admin/stats');
  return { reported: reported.length, blocks: typeof stats.feedback_blocks === 'number' ? stats.feedback_blocks : 0, afterwards };
}
