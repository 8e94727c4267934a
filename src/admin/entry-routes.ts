// /admin entry routes: cache stats, look up / delete an entry (a wrong answer can be removed at
// once), flush a namespace or everything, and feedback on wrong hits. Mounted behind the admin token
// by admin-routes.ts.
import type { FastifyInstance } from 'fastify';
import type { CacheEngine, CacheEntry, EntryQuery } from '../cache/cache-engine.js';
import { SemcacheError } from '../errors.js';
import { isJsonObject } from '../openai/types.js';

function entryId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 0)
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', `Invalid entry id: ${JSON.stringify(raw)}.`, { param: 'id' });
  return id;
}

async function found(engine: CacheEngine, id: number): Promise<CacheEntry> {
  const entry = await engine.get(id);
  if (entry === undefined) throw new SemcacheError('SEMCACHE_ERR_ADMIN_ENTRY_NOT_FOUND', `No cache entry ${id}.`, { param: 'id' });
  return entry;
}

function describe(entry: CacheEntry): Record<string, unknown> {
  const { value } = entry;
  return {
    id: entry.id,
    endpoint: value.endpoint,
    model: value.model,
    prompt: value.text,
    tenant: value.tenant,
    embedder: value.embedderId,
    created_at: new Date(entry.createdAt).toISOString(),
    expires_at: Number.isFinite(entry.expiresAt) ? new Date(entry.expiresAt).toISOString() : null,
    hits: entry.hits,
    bytes: entry.bytes,
    completion: value.completion,
  };
}

/** Entries listed per page, at most. */
const MAX_LIST_LIMIT = 500;
const DEFAULT_LIST_LIMIT = 50;
/** Characters of a prompt shown in a listing; GET /admin/entries/:id has it whole. */
const LISTED_PROMPT_CHARS = 200;

function summary(entry: CacheEntry): Record<string, unknown> {
  const { value } = entry;
  return {
    id: entry.id,
    endpoint: value.endpoint,
    model: value.model,
    prompt: value.text.length > LISTED_PROMPT_CHARS ? `${value.text.slice(0, LISTED_PROMPT_CHARS)}…` : value.text,
    tenant: value.tenant,
    created_at: new Date(entry.createdAt).toISOString(),
    expires_at: Number.isFinite(entry.expiresAt) ? new Date(entry.expiresAt).toISOString() : null,
    hits: entry.hits,
    bytes: entry.bytes,
  };
}

function listQuery(query: Record<string, string | undefined>): EntryQuery {
  const limit = query.limit === undefined ? DEFAULT_LIST_LIMIT : Number(query.limit);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', `limit must be an integer in [1, ${MAX_LIST_LIMIT}].`, { param: 'limit' });
  }
  const before = query.before === undefined ? undefined : entryId(query.before);
  return { text: query.q === '' ? undefined : query.q, tenant: query.tenant === '' ? undefined : query.tenant, before, limit };
}

export async function entryRoutes(app: FastifyInstance, options: { engine: CacheEngine }): Promise<void> {
  const { engine } = options;

  app.get('/admin/stats', async () => {
    const stats = engine.stats();
    return {
      entries: stats.entries,
      bytes: stats.bytes,
      vectors: stats.vectors,
      partitions: stats.partitions,
      index_bytes: stats.indexBytes,
      embedder: stats.embedderId,
      feedback_blocks: stats.feedbackBlocks,
    };
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/entries', async (request) => {
    const query = listQuery(request.query);
    const entries = await engine.list(query);
    const last = entries.at(-1);
    return { entries: entries.map(summary), next_before: entries.length === query.limit && last !== undefined ? last.id : null };
  });

  app.get<{ Params: { id: string } }>('/admin/entries/:id', async (request) => describe(await found(engine, entryId(request.params.id))));

  app.delete<{ Params: { id: string } }>('/admin/entries/:id', async (request) => {
    const id = entryId(request.params.id);
    await found(engine, id);
    await engine.delete(id);
    return { deleted: 1, id };
  });

  app.delete<{ Params: { namespace: string } }>('/admin/namespaces/:namespace', async (request) => ({
    deleted: await engine.flushNamespace(request.params.namespace),
    namespace: request.params.namespace,
  }));

  app.delete('/admin/entries', async () => ({ deleted: await engine.clear() }));

  app.post('/admin/feedback', async (request) => {
    const body = request.body;
    if (!isJsonObject(body) || typeof body.entry_id !== 'number' || typeof body.prompt !== 'string' || body.prompt === '') {
      throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', 'Expected {"entry_id": <number>, "prompt": "<the prompt that wrongly hit it>"}.', {
        param: 'entry_id',
      });
    }
    await found(engine, body.entry_id);
    await engine.block(body.entry_id, body.prompt);
    return { blocked: true, entry_id: body.entry_id, feedback_blocks: engine.stats().feedbackBlocks };
  });
}
