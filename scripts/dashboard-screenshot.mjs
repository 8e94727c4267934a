#!/usr/bin/env node
// Makes docs/dashboard.png: the simulated upstream (a small GPU's latency) and semcache from dist/,
// a mixed workload of chat and Responses API requests for --seconds (questions, their rewordings,
// near misses the guards catch, two tenants) while the dashboard polls, then a full-page screenshot
// in headless Debian Chromium.
//   npm run build && node scripts/dashboard-screenshot.mjs [--seconds 40] [--out docs/dashboard.png]
import { parseArgs } from 'node:util';
import { launchChromium } from '../bench/lib/chromium.mjs';
import { buildApp } from '../dist/app.js';
import { loadConfig } from '../dist/config.js';
import { keyHash } from '../dist/credentials.js';
import { startSimUpstream } from '../dist/tools/sim/sim-app.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '40' }, out: { type: 'string', default: 'docs/dashboard.png' } } });
const ADMIN = 'screenshot-admin';
const KEYS = { 'sk-support': 'support-bot', 'sk-search': 'search' };
const QUESTIONS = [
  ['How do I reset my password?', 'How can I reset my password?'],
  ['What is the capital of France?', "What's the capital of France?"],
  ['How do I cancel my subscription?', 'How can I cancel my subscription?'],
  ['Can you explain how photosynthesis works?', 'Could you explain how photosynthesis works?'],
  ['How do I enable two-factor authentication?', 'How do I disable two-factor authentication?'],
  ['What does `x = a + b` return in Python?', 'What does `x = a - b` return in Python?'],
];

const sim = await startSimUpstream({ ttftMs: 80, tokensPerSecond: 400 });
const aliases = Object.entries(KEYS)
  .map(([key, name]) => `${keyHash(key)}=${name}`)
  .join(',');
const app = buildApp(
  loadConfig({
    SEMCACHE_UPSTREAM_URL: sim.url,
    SEMCACHE_ADMIN_TOKEN: ADMIN,
    SEMCACHE_LOG_LEVEL: 'silent',
    SEMCACHE_PRICING_FILE: 'bench/pricing/api-price.json',
    SEMCACHE_TENANT_ALIASES: aliases,
  }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${app.server.address().port}`;

let stop = false;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function ask(i, prompt, key) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(i % 13 === 0 ? { 'x-semcache-bypass': '1' } : {}) };
  const body =
    i % 4 === 0
      ? { path: '/v1/responses', json: { model: 'gpt-4o-mini', input: prompt } }
      : { path: '/v1/chat/completions', json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] } };
  await fetch(`${origin}${body.path}`, { method: 'POST', headers, body: JSON.stringify(body.json) }).then((r) => r.arrayBuffer());
}
/** Each question first, then at random: the question again, its rewording (or near miss), or a new one. */
async function workload() {
  for (const [question] of QUESTIONS) await ask(1, question, 'sk-support');
  for (let i = 1; !stop; i++) {
    const [question, rewording] = QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)];
    const draw = Math.random();
    const prompt = draw < 0.5 ? question : draw < 0.85 ? rewording : `Tell me one new thing about topic ${i}`;
    await ask(i, prompt, Math.random() < 0.25 ? 'sk-search' : 'sk-support');
    await pause(40 + Math.random() * 200);
  }
}

const browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
const { context } = browser;
try {
  const running = workload();
  const page = await context.newPage();
  await page.goto(`${origin}/dashboard`);
  await page.fill('#token-input', ADMIN);
  await page.click('#connect');
  await pause(Number(args.seconds) * 1000);
  await page.fill('#entry-q', 'password');
  await page.click('#entry-search button[type="submit"]');
  await page.waitForSelector('#entries tbody tr');
  await page.screenshot({ path: args.out, fullPage: true });
  stop = true;
  await running;
  console.log(`wrote ${args.out}`);
} finally {
  await browser.close();
  await app.close();
  await sim.close();
}
