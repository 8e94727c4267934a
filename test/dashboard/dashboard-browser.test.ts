// The dashboard end to end in headless Chromium: after a known workload the page shows the numbers
// /admin/costs and /metrics give, its wrong-hit button blocks that pairing, and the entry browser
// finds, shows and deletes an entry.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../src/dashboard/histogram-quantile.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { keyHash } from '../../src/credentials.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { chromiumAvailable, launchChromium, type Browser } from './chromium.js';

const available = chromiumAvailable();
if (!available) console.warn('dashboard browser test skipped: /usr/bin/chromium is missing (apt-get install -y chromium)');

const ADMIN = 'dash-admin';
const KEY = 'sk-dashboard';
let embedder: Embedder;
let stack: Stack;
let browser: Browser;
let page: Page;

async function chat(content: string, headers: Record<string, string> = {}): Promise<string | null> {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
    body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content }] }),
  });
  await res.arrayBuffer();
  return res.headers.get('x-semcache-status');
}

const admin = async (path: string, init: RequestInit = {}) =>
  fetch(`${stack.origin}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers ?? {}) } });

/** Sums the samples of a /metrics series whose labels include `match`. */
function metricSum(text: string, name: string, match: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labels = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (Object.entries(match).every(([k, v]) => labels.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

function bucketsOf(text: string, status: string): Array<{ le: number; count: number }> {
  const byLe = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('semcache_request_duration_seconds_bucket{') || !line.includes(`cache_status="${status}"`)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1] ?? '';
    const bound = le === '+Inf' ? Infinity : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return [...byLe.entries()].map(([le, count]) => ({ le, count }));
}

/** The page's money format: dollars to the millionth, the sign before the symbol, no negative zero. */
function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const digits = Math.abs(value).toFixed(6);
  return `${value < 0 && Number(digits) !== 0 ? '-' : ''}$${digits}`;
}
const cellText = (selector: string, column: number) => page.locator(`${selector} td`).nth(column).innerText();

describe.skipIf(!available)('the dashboard in headless Chromium', () => {
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'semcache-dash-'));
    const pricing = join(dir, 'pricing.json');
    await writeFile(
      pricing,
      JSON.stringify({
        models: [{ model: 'sim-model', kind: 'api', inputPerMTok: 2, outputPerMTok: 8 }],
        targets: [
          { scope: 'overall', name: 'all', cp1ktUsd: 0.000001 },
          { scope: 'model', name: 'sim-model', cp1ktUsd: 1 },
        ],
      }),
    );
    embedder = await useEmbedder();
    stack = await startStack({
      env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_ADMIN_TOKEN: ADMIN, SEMCACHE_PRICING_FILE: pricing, SEMCACHE_TENANT_ALIASES: `${keyHash(KEY)}=acme` },
      deps: { embedder },
    });
    // The known workload: misses, an exact hit, a semantic hit, a guard's near miss, a bypass.
    expect(await chat('How do I reset my password?')).toBe('miss');
    expect(await chat('How do I reset my password?')).toBe('exact-hit');
    expect(await chat('How can I reset my password?')).toBe('semantic-hit');
    expect(await chat('How do I enable two-factor authentication?')).toBe('miss');
    expect(await chat('How do I disable two-factor authentication?')).toBe('miss');
    expect(await chat('What is the capital of France?', { 'x-semcache-bypass': '1' })).toBe('bypass');
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await embedder?.close();
  });

  it('serves a page without data, that asks for the admin token', async () => {
    const html = await (await fetch(`${stack.origin}/dashboard`)).text();
    expect(html).toContain('id="token-input"');
    expect(html).not.toContain('reset my password');
    expect((await fetch(`${stack.origin}/admin/dashboard/summary`)).status).toBe(401);
    await page.goto(`${stack.origin}/dashboard`);
    expect(await page.locator('#main').isHidden()).toBe(true);
    await page.fill('#token-input', ADMIN);
    await page.click('#connect');
    await page.waitForSelector('#recent tbody tr[data-kind="near-miss"]');
    expect(await page.locator('#token-form').isHidden()).toBe(true);
  });

  it('shows the figures of /admin/costs and /metrics', async () => {
    const costs = (await (await admin('/admin/costs')).json()) as {
      requests: { hitRate: number };
      spendUsd: number;
      savedUsd: number;
      embeddingCostUsd: number;
      netSavedUsd: number;
      cp1kt: { overall: { all: { windowUsd: number } } };
      targets: Array<{ scope: string; name: string; breach: boolean }>;
    };
    const metrics = await (await fetch(`${stack.origin}/metrics`)).text();
    expect(await page.innerText('#hit-rate')).toBe(`${(costs.requests.hitRate * 100).toFixed(1)}%`);
    expect(await page.innerText('#spend-with')).toBe(usd(costs.spendUsd));
    expect(await page.innerText('#spend-without')).toBe(usd(costs.spendUsd + costs.savedUsd));
    expect(await page.innerText('#saved')).toBe(usd(costs.savedUsd));
    expect(await page.innerText('#embedding-cost')).toBe(usd(costs.embeddingCostUsd));
    expect(await page.innerText('#net-saved')).toBe(usd(costs.netSavedUsd));
    expect(costs.savedUsd).toBeGreaterThan(0);

    for (const status of ['exact-hit', 'semantic-hit', 'miss', 'bypass']) {
      expect(await cellText(`#requests tr[data-status="${status}"]`, 1)).toBe(String(metricSum(metrics, 'semcache_requests_total', { cache_status: status })));
      const buckets = bucketsOf(metrics, status);
      expect(await cellText(`#latency tr[data-status="${status}"]`, 1)).toBe(
        String(metricSum(metrics, 'semcache_request_duration_seconds_count', { cache_status: status })),
      );
      expect(await cellText(`#latency tr[data-status="${status}"]`, 2)).toBe(((histogramQuantile(0.5, buckets) ?? 0) * 1000).toFixed(2));
      expect(await cellText(`#latency tr[data-status="${status}"]`, 3)).toBe(((histogramQuantile(0.99, buckets) ?? 0) * 1000).toFixed(2));
    }
    expect(await cellText('#guards tr[data-guard="polarity"]', 1)).toBe(String(metricSum(metrics, 'semcache_guard_rejections_total', { guard: 'polarity' })));
    expect(await cellText('#cp1kt tr[data-scope="overall"][data-name="all"]', 2)).toBe(usd(costs.cp1kt.overall.all.windowUsd));
    expect(await cellText('#cp1kt tr[data-scope="overall"][data-name="all"]', 5)).toBe(
      costs.targets.find((t) => t.scope === 'overall')?.breach ? 'BREACH' : 'ok',
    );
    expect(await cellText('#cp1kt tr[data-scope="model"][data-name="sim-model"]', 5)).toBe('ok');
  });

  it('lists recent hits and near misses with prompts, similarity, guard and the tenant alias', async () => {
    const semantic = page.locator('#recent tr[data-kind="semantic-hit"]');
    expect(await semantic.locator('td').nth(2).innerText()).toBe('acme');
    expect(await semantic.locator('td').nth(3).innerText()).toBe('How can I reset my password?');
    expect(await semantic.locator('td').nth(4).innerText()).toBe('How do I reset my password?');
    expect(Number(await semantic.locator('td').nth(5).innerText())).toBeGreaterThanOrEqual(0.95);
    const nearMiss = page.locator('#recent tr[data-kind="near-miss"]');
    expect(await nearMiss.locator('td').nth(3).innerText()).toBe('How do I disable two-factor authentication?');
    expect(await nearMiss.locator('td').nth(4).innerText()).toBe('How do I enable two-factor authentication?');
    expect(await nearMiss.locator('td').nth(7).innerText()).toBe('polarity');
  });

  it('blocks the pairing when "wrong hit" is pressed', async () => {
    await page.click('#recent tr[data-kind="semantic-hit"] button.wrong-hit');
    await page.waitForSelector('#recent tr[data-kind="semantic-hit"] button.wrong-hit:text("blocked (1 blocks)")');
    // A refresh redraws the table and keeps the outcome.
    await page.click('#refresh');
    await page.waitForSelector('#recent tr[data-kind="semantic-hit"] button.wrong-hit:disabled:text("blocked (1 blocks)")');
    const stats = (await (await admin('/admin/stats')).json()) as { feedback_blocks: number };
    expect(stats.feedback_blocks).toBe(1);
    expect(await chat('How can I reset my password?')).toBe('miss');
  });

  it('finds an entry by its text, shows it, and deletes it', async () => {
    await page.fill('#entry-q', 'enable two-factor');
    await page.click('#entry-search button[type="submit"]');
    const row = page.locator('#entries tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    const id = await row.getAttribute('data-id');
    await row.locator('button.view').click();
    await page.waitForSelector('#entry-detail:not([hidden])');
    expect(await page.innerText('#entry-detail-body')).toContain('"prompt": "How do I enable two-factor authentication?"');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button.delete').click();
    await expect.poll(() => page.locator('#entries tbody tr').count()).toBe(0);
    expect((await admin(`/admin/entries/${id}`)).status).toBe(404);
    expect(await chat('How do I enable two-factor authentication?')).toBe('miss');
  });
});
