// GET /dashboard: a page semcache serves itself (HTML, its scripts and styles from static/, read
// once when the app starts; nothing from elsewhere, no CDN). The page carries no data: it asks for
// the admin token and sends it with its data calls, which are behind it like the rest of /admin:
//   GET /admin/dashboard/summary   live figures (dashboard-summary.ts)
//   GET /admin/dashboard/recent    recent hits and near misses (recent-lookups.ts)
// and the entry routes and POST /admin/feedback the admin API already has.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { requireAdminToken } from '../admin/admin-auth.js';
import type { CacheEngine } from '../cache/cache-engine.js';
import { SemcacheError } from '../errors.js';
import type { Metrics } from '../finops/metrics.js';
import { buildSummary } from './dashboard-summary.js';
import { shorten, type RecentLookup, type RecentLookups } from './recent-lookups.js';

/** Resolved from this file, so that it is found from src/dashboard (tests) and dist/dashboard (the CLI). */
const STATIC_DIR = fileURLToPath(new URL('../../src/dashboard/static/', import.meta.url));
const STATIC_FILES = ['index.html', 'dashboard.js', 'charts.js', 'tables.js', 'entries.js', 'dashboard.css'];
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page runs only its own scripts and talks only to this origin; prompts are shown as text. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const DEFAULT_RECENT = 50;

export interface DashboardOptions {
  readonly token: string | undefined;
  readonly metrics: Metrics;
  readonly engine: CacheEngine | undefined;
  readonly recent: RecentLookups | undefined;
}

function loadStatic(): Map<string, { body: Buffer; type: string }> {
  return new Map(STATIC_FILES.map((name) => [name, { body: readFileSync(`${STATIC_DIR}${name}`), type: TYPES[extname(name)] ?? 'application/octet-stream' }]));
}

/** At most what the ring holds; a larger limit is not an error (the page does not know the setting). */
function recentLimit(raw: string | undefined, capacity: number): number {
  if (raw === undefined) return Math.min(DEFAULT_RECENT, capacity);
  const limit = Number(raw);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', 'limit must be a positive integer.', { param: 'limit' });
  return Math.min(limit, capacity);
}

/** Near misses name their candidate by id only: its prompt is read when the list is. */
async function withMatchedPrompts(items: RecentLookup[], engine: CacheEngine | undefined): Promise<RecentLookup[]> {
  const prompts = new Map<number, string | undefined>();
  for (const item of items) {
    if (item.matchedPrompt !== undefined || engine === undefined || prompts.has(item.entryId)) continue;
    prompts.set(item.entryId, (await engine.get(item.entryId))?.value.text);
  }
  return items.map((item) => (item.matchedPrompt !== undefined ? item : { ...item, matchedPrompt: shorten(prompts.get(item.entryId)) }));
}

export async function dashboardRoutes(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const files = loadStatic();
  const page = files.get('index.html')!;
  app.get('/dashboard', async (_request, reply) => reply.headers(PAGE_HEADERS).type(page.type).send(page.body));
  app.get<{ Params: { file: string } }>('/dashboard/:file', async (request, reply) => {
    const file = files.get(request.params.file === '' ? 'index.html' : request.params.file);
    if (file === undefined) throw new SemcacheError('SEMCACHE_ERR_REQUEST_NOT_FOUND', `No dashboard file ${JSON.stringify(request.params.file)}.`);
    return reply.headers(PAGE_HEADERS).type(file.type).send(file.body);
  });

  await app.register(async (admin) => {
    requireAdminToken(admin, options.token);
    admin.get('/admin/dashboard/summary', async () => buildSummary(options.metrics.costsReport(), options.metrics.registry));
    admin.get<{ Querystring: { limit?: string } }>('/admin/dashboard/recent', async (request) => {
      const recent = options.recent;
      if (recent === undefined) return { enabled: false, capacity: 0, lookups: [] };
      const items = recent.list(recentLimit(request.query.limit, recent.capacity));
      return { enabled: true, capacity: recent.capacity, lookups: await withMatchedPrompts(items, options.engine) };
    });
  });
}
