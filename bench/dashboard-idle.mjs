// What the dashboard's polling costs semcache at idle (issue 14: under 1% of one core). semcache
// runs in its own process (bench/lib/servers.mjs) in front of the simulated upstream; a workload
// first fills the metrics and the recent-lookups ring (SEMCACHE_RECENT_LOOKUPS, 200 by default) so
// that every poll has full tables to build. Then, with no traffic, semcache's CPU time (utime +
// stime of /proc/<pid>/stat) is read over --seconds without any page open, and over --seconds with
// the dashboard open in headless Chromium, polling every 5 s; the rounds alternate --rounds times.
// Also timed: one poll's two data calls (summary + recent), one at a time, from this process.
//
//   npm run build && node bench/dashboard-idle.mjs [--seconds 60] [--rounds 2] [--requests 400]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/chromium.mjs';
import { startServer } from './lib/servers.mjs';
import { BASE_QUESTIONS, variantCandidates } from './lib/prompts.mjs';
import { markdownTable, writeResults } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, rounds: { type: 'string', default: '2' }, requests: { type: 'string', default: '400' } },
});
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const ADMIN = 'bench-admin';
const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from the state field (3).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function measure(pid, ms) {
  const before = cpuSeconds(pid);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return cpuSeconds(pid) - before;
}

const sim = await startServer({ kind: 'sim', options: {} });
const semcache = await startServer({
  kind: 'semcache',
  env: {
    SEMCACHE_UPSTREAM_URL: `${sim.origin}/v1`,
    SEMCACHE_ADMIN_TOKEN: ADMIN,
    SEMCACHE_LOG_LEVEL: 'silent',
    SEMCACHE_EMBED_WORKERS: '1',
    SEMCACHE_PRICING_FILE: 'bench/pricing/api-price.json',
  },
});
const post = (path, body) =>
  fetch(`${semcache.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify(body),
  }).then((r) => r.arrayBuffer());
const candidates = variantCandidates(BASE_QUESTIONS);
for (let i = 0; i < Number(args.requests); i++) {
  const prompt = i % 3 === 0 ? BASE_QUESTIONS[i % BASE_QUESTIONS.length] : candidates[i % candidates.length].text;
  if (i % 4 === 0) await post('/v1/responses', { model: 'gpt-4o-mini', input: prompt });
  else await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
}

const auth = { authorization: `Bearer ${ADMIN}` };
const pollMs = [];
for (let i = 0; i < 50; i++) {
  const started = performance.now();
  await Promise.all(
    ['/admin/dashboard/summary', '/admin/dashboard/recent'].map((p) => fetch(`${semcache.origin}${p}`, { headers: auth }).then((r) => r.arrayBuffer())),
  );
  pollMs.push(performance.now() - started);
}
const recentItems = (await (await fetch(`${semcache.origin}/admin/dashboard/recent?limit=200`, { headers: auth })).json()).lookups.length;

const browser = await launchChromium();
const { context } = browser;
const results = { idle: [], dashboard: [], polls: 0 };
try {
  for (let round = 0; round < rounds; round++) {
    results.idle.push(await measure(semcache.pid, seconds * 1000));
    const page = await context.newPage();
    page.on('request', (request) => {
      if (request.url().includes('/admin/dashboard/summary')) results.polls += 1;
    });
    await page.goto(`${semcache.origin}/dashboard`);
    await page.fill('#token-input', ADMIN);
    await page.click('#connect');
    await page.waitForFunction(() => document.getElementById('hit-rate')?.textContent !== '');
    results.dashboard.push(await measure(semcache.pid, seconds * 1000));
    await page.close();
  }
} finally {
  await browser.close();
  await semcache.close();
  await sim.close();
}

const share = (cpu) => (cpu / seconds) * 100;
const rows = results.idle.map((idle, i) => [
  i + 1,
  `${round(idle, 3)} s`,
  `${round(results.dashboard[i], 3)} s`,
  `${round(share(results.dashboard[i] - idle), 3)}%`,
]);
console.log(
  `semcache CPU over ${seconds} s without and with the dashboard open (polling every 5 s; ${recentItems} recent lookups in the ring, the page lists 25):\n`,
);
console.log(markdownTable(['round', 'CPU, no page', 'CPU, dashboard open', 'polling cost (% of one core)'], rows));
console.log(
  `\nOne poll (summary + recent, from this process): median ${round(median(pollMs), 2)} ms; ${results.polls} polls in ${rounds * seconds} s with the page open.`,
);
writeResults('dashboard-idle', { seconds, rounds, recentItems, cpu: results, pollMedianMs: median(pollMs) });
