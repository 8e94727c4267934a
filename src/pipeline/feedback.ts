// `x-semcache-feedback: wrong` with the `x-semcache-entry-id` a hit returned: that entry is never
// again served for this prompt, and this request gets a fresh answer (no lookup; the answer is
// stored). Only an entry of the request's own partition can be reported, so no one can touch
// another tenant's entries.
import type { CacheEngine } from '../cache/cache-engine.js';
import { REQUEST_HEADER, RESPONSE_HEADER } from '../semcache-headers.js';
import { headerOf, type CacheRequest } from './cache-request.js';
import type { CacheControl } from './control-headers.js';

/** The request's cache control once its feedback, if it carries any, is taken. */
export async function takeFeedback(request: CacheRequest, engine: CacheEngine): Promise<CacheControl> {
  const { control, key } = request;
  if (control.bypass || headerOf(request, REQUEST_HEADER.feedback)?.toLowerCase() !== 'wrong') return control;
  const id = Number(headerOf(request, REQUEST_HEADER.entryId));
  const entry = Number.isSafeInteger(id) ? await engine.get(id) : undefined;
  const accepted = entry !== undefined && entry.partition === key.context && key.promptText !== undefined;
  if (accepted && key.promptText !== undefined) await engine.block(id, key.promptText);
  request.call.reply.header(RESPONSE_HEADER.feedback, accepted ? 'recorded' : 'ignored');
  return { ...control, lookup: false };
}
