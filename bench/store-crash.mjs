// kill -9 under write load (issue 10): `semcache serve` on a SQLite file takes misses at a steady rate
// (distinct prompts, answered whole by the simulated upstream, each naming its prompt), and is killed
// with SIGKILL at a random moment; then the file is opened and checked, and serve started on it
// again. Repeated N times on the same file. Each round checks: the file opens (and `semcache store
// verify` passes), no stored entry differs from what the upstream sent for its prompt, and every
// entry whose answer reached the client more than the claimed delay before the kill is there.
//
//   npm run build && node bench/store-crash.mjs [--rounds 20] [--rate 200] [--claim-ms 100] [--semantic false]
//
// The semantic tier is off by default here (SEMCACHE_SEMANTIC=false): 200 embeddings a second do not
// fit in two cores next to the proxy, and the write path being measured is the same with or without a
// vector (run --semantic true --rate 50 for the same check with vectors).

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startServer } from './lib/servers.mjs';
import { chatRequest, createClient, send } from './lib/load.mjs';
import { markdownTable, writeResults } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '200' },
    'claim-ms': { type: 'string', default: '100' },
    semantic: { type: 'string', default: 'false' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node bench/store-crash.mjs [--rounds 20] [--rate 200] [--claim-ms 100] [--semantic false]');
  process.exit(0);
}
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'semcache-crash-bench-'));
const path = join(dir, 'cache.db');
const rate = Number(args.rate);
const claimMs = Number(args['claim-ms']);
const sim = await startServer({ kind: 'sim' });

async function serve() {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--port',
      '0',
      '--upstream-url',
      `${sim.origin}/v1`,
      '--store',
      `sqlite:${path}`,
      '--semantic',
      args.semantic,
      '--embed-workers',
      '1',
      '--log-level',
      'info',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const origin = await new Promise((resolve, reject) => {
    const read = (chunk) => {
      output += chunk.toString('utf8');
      const match = /"origin":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        // One log line per request follows: read and dropped.
        child.stdout.off('data', read);
        child.stdout.resume();
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output.slice(-2000)}`)));
  });
  return { child, origin };
}

const rounds = [];
for (let round = 0; round < Number(args.rounds); round++) {
  const server = await serve();
  const client = createClient(server.origin, 64);
  const acknowledged = []; // { id, prompt, answer, at }
  let sent = 0;
  let failed = 0;
  const loadStarted = performance.now();
  const killAt = loadStarted + 1000 + Math.random() * 2000;
  const inFlight = new Set();
  while (performance.now() < killAt) {
    const prompt = `Crash round ${round} prompt ${sent}: what is ${sent} times ${round + 7}?`;
    sent++;
    const request = send(client, chatRequest(prompt)).then(
      (result) => {
        const id = result.headers['x-semcache-entry-id'];
        if (result.statusCode === 200 && id !== undefined)
          acknowledged.push({ id: Number(id), prompt, answer: JSON.parse(result.text).choices[0].message.content, at: performance.now() });
      },
      () => failed++,
    );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
  }
  const killedAt = performance.now();
  server.child.kill('SIGKILL');
  await once(server.child, 'exit');
  await Promise.allSettled([...inFlight]);
  await client.close().catch(() => undefined);

  // The file as the next start will find it.
  let opens = true;
  let rows = [];
  try {
    const db = new Database(path, { readonly: true });
    rows = db.prepare('SELECT id, key, value FROM entries').all();
    db.close();
  } catch {
    opens = false;
  }
  const byId = new Map(rows.map((row) => [row.id, JSON.parse(row.value)]));
  let wrong = 0;
  for (const value of byId.values()) {
    const content = value.completion?.choices?.[0]?.message?.content ?? '';
    if (!content.includes(`Answer to: ${value.text}`)) wrong++;
  }
  const claimed = acknowledged.filter((a) => a.at < killedAt - claimMs);
  const missing = claimed.filter((a) => {
    const value = byId.get(a.id);
    return value === undefined || value.completion.choices[0].message.content !== a.answer;
  });
  const verify = (() => {
    try {
      execFileSync(process.execPath, [CLI, 'store', 'verify', '--store', `sqlite:${path}`], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  })();
  rounds.push({
    round,
    sent,
    rate: Math.round(sent / ((killedAt - loadStarted) / 1000)),
    acknowledged: acknowledged.length,
    failed,
    stored: byId.size,
    opens,
    verify,
    wrongEntries: wrong,
    claimed: claimed.length,
    missingClaimed: missing.length,
  });
  console.error(
    `round ${round + 1}: sent ${sent}, acknowledged ${acknowledged.length}, rows ${byId.size}, wrong ${wrong}, claimed ${claimed.length}, missing ${missing.length}, verify ${verify}`,
  );
}

// The last start after the last kill: serve opens the file (checked whole after a crash) and serves.
const last = await serve();
const status = (await send(createClient(last.origin, 1), chatRequest('Crash round 0 prompt 0: what is 0 times 7?'))).headers['x-semcache-status'];
last.child.kill('SIGTERM');
await once(last.child, 'exit');
await sim.close();
rmSync(dir, { recursive: true, force: true });

const sum = (f) => rounds.reduce((s, r) => s + f(r), 0);
const table = markdownTable(
  [
    'rounds',
    'misses sent (rate/s)',
    'answers acknowledged',
    'file opened',
    'verify passed',
    'entries differing from the upstream',
    `acknowledged > ${claimMs} ms before the kill`,
    'of those missing',
  ],
  [
    [
      rounds.length,
      `${sum((r) => r.sent)} (${Math.round(sum((r) => r.rate) / rounds.length)})`,
      sum((r) => r.acknowledged),
      `${sum((r) => (r.opens ? 1 : 0))}/${rounds.length}`,
      `${sum((r) => (r.verify ? 1 : 0))}/${rounds.length}`,
      sum((r) => r.wrongEntries),
      sum((r) => r.claimed),
      sum((r) => r.missingClaimed),
    ],
  ],
);
console.log(table);
console.log(`\nafter the last kill, serve started and answered an earlier prompt: ${status}`);
writeResults('store-crash', { args: { rounds: rounds.length, rate, claimMs, semantic: args.semantic }, rounds, lastStartStatus: status });
