// semcache demo: the simulated GPU upstream and the proxy on embedded defaults, a short workload
// through the proxy, a table of what hit and what missed, then (unless --once) keep serving.
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describeConfig, loadConfig } from '../../config.js';
import { formatFlagHelp, settingFlags, wantsHelp } from '../../flag-help.js';
import { startServer, closeOnSignals } from '../../server.js';
import { startSimUpstream } from '../sim/sim-app.js';
import { RESPONSES_STEPS, sendResponsesStep } from './demo-responses.js';
import { DEMO_KEYS, DEMO_MODEL, DEMO_STEPS } from './demo-workload.js';
import { formatTable } from './format-table.js';
import { RESPONSE_HEADER } from '../../semcache-headers.js';

const PRICING_FILE = fileURLToPath(new URL('../../../bench/pricing/api-price.json', import.meta.url));
const DEMO_ADMIN_TOKEN = 'demo-admin';

interface StepResult {
  readonly status: string;
  readonly similarity: string;
  readonly guard: string;
  readonly ms: number;
  readonly answer: string;
}

async function send(baseURL: string, key: string, prompt: string): Promise<StepResult> {
  const started = performance.now();
  const res = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: DEMO_MODEL, messages: [{ role: 'user', content: prompt }] }),
  });
  const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
  const answer = body.choices?.[0]?.message?.content ?? '';
  return {
    status: res.headers.get(RESPONSE_HEADER.status) ?? String(res.status),
    similarity: res.headers.get(RESPONSE_HEADER.similarity) ?? '',
    guard: res.headers.get(RESPONSE_HEADER.guard) ?? '',
    ms: performance.now() - started,
    answer: /Answer to: (.*?) --/.exec(answer)?.[1] ?? answer.slice(0, 40),
  };
}

interface DemoCosts {
  requests: { total: number; hitRate: number };
  tokens: { processedInput: number; processedOutput: number; savedInput: number; savedOutput: number };
  spendUsd: number;
  savedUsd: number;
  embeddingCostUsd: number;
  netSavedUsd: number;
  cp1kt: { overall: { all?: { windowUsd: number | null } } };
}

function describeCosts(costs: DemoCosts): string {
  const usd = (value: number): string => `$${value.toFixed(6)}`;
  const { tokens } = costs;
  return [
    'Money (GET /admin/costs, priced with bench/pricing/api-price.json):',
    `  requests ${costs.requests.total}, hit rate ${(costs.requests.hitRate * 100).toFixed(0)}%`,
    `  tokens processed by the upstream ${tokens.processedInput + tokens.processedOutput}, served from the cache ${tokens.savedInput + tokens.savedOutput}`,
    `  spend ${usd(costs.spendUsd)}, saved ${usd(costs.savedUsd)}, embedding cost ${usd(costs.embeddingCostUsd)}, net saved ${usd(costs.netSavedUsd)}`,
    `  CP1KT ${costs.cp1kt.overall.all?.windowUsd === undefined || costs.cp1kt.overall.all.windowUsd === null ? 'n/a' : usd(costs.cp1kt.overall.all.windowUsd)}`,
  ].join('\n');
}

async function responsesTable(baseURL: string): Promise<string> {
  const rows: string[][] = [];
  let previousId: string | undefined;
  for (const [i, step] of RESPONSES_STEPS.entries()) {
    const result = await sendResponsesStep(baseURL, DEMO_KEYS.alice, DEMO_MODEL, step, previousId);
    const shown = [
      step.instructions === undefined ? '' : `[${step.instructions}] `,
      step.input,
      step.followUp === true ? ` (previous_response_id ${previousId ?? '?'})` : '',
    ].join('');
    rows.push([`R${i + 1}`, shown, step.note, result.status, result.similarity, result.ms.toFixed(1), result.id, result.answer]);
    previousId = result.id === '' ? previousId : result.id;
  }
  return formatTable(['#', 'input', 'what it shows', 'x-semcache-status', 'similarity', 'ms', 'response id', 'answer made for'], rows);
}

/** The settings the demo gives the proxy; flags override them, the environment is not read. */
const DEMO_DEFAULTS: Readonly<Record<string, string>> = {
  UPSTREAM_URL: '(the simulator, on a free port)',
  LOG_LEVEL: 'warn',
  ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
  PRICING_FILE: 'bench/pricing/api-price.json',
};

/** `semcache demo --help`: --once, then every proxy flag with the demo's own defaults. */
export function demoHelp(): string {
  const once = { flag: '--once', value: '', env: undefined, default: 'off', help: 'exit after the table instead of serving on' };
  const proxy = settingFlags(describeConfig()).map((f) => ({
    ...f,
    env: undefined,
    default: DEMO_DEFAULTS[f.flag.slice(2).toUpperCase().replaceAll('-', '_')] ?? f.default,
  }));
  return formatFlagHelp(
    'Usage: semcache demo [--once] [--flags]\n\nStarts the simulated upstream and the proxy, sends a short workload (chat and the Responses API), prints\nwhat hit and what missed, and keeps serving on http://127.0.0.1:8080/v1 until Ctrl-C. Every proxy\nflag applies (the environment is not read):',
    [once, ...proxy],
  );
}

export async function runDemo(argv: readonly string[], out: Writable): Promise<void> {
  if (wantsHelp(argv)) {
    out.write(demoHelp());
    return;
  }
  const once = argv.includes('--once');
  const flags = argv.filter((arg) => arg !== '--once');
  // A GPU-like upstream: 150 ms to the first token, then 60 tokens a second.
  const sim = await startSimUpstream({ ttftMs: 150, tokensPerSecond: 60 });
  const config = loadConfig(
    { SEMCACHE_UPSTREAM_URL: sim.url, SEMCACHE_LOG_LEVEL: 'warn', SEMCACHE_ADMIN_TOKEN: DEMO_ADMIN_TOKEN, SEMCACHE_PRICING_FILE: PRICING_FILE },
    flags,
  );
  out.write(`Loading the embedding model and starting the proxy in front of a simulated GPU upstream (${sim.url})...\n`);
  const server = await startServer(config);
  const baseURL = `${server.origin}/v1`;
  const rows: string[][] = [];
  for (const [i, step] of DEMO_STEPS.entries()) {
    const result = await send(baseURL, DEMO_KEYS[step.tenant], step.prompt);
    rows.push([String(i + 1), step.tenant, step.prompt, step.note, result.status, result.similarity, result.guard, result.ms.toFixed(1), result.answer]);
  }
  out.write(`\n${formatTable(['#', 'tenant', 'prompt', 'what it shows', 'x-semcache-status', 'similarity', 'guard', 'ms', 'answer made for'], rows)}\n`);
  out.write(`\nThe Responses API (POST /v1/responses), cached the same way; a hit serves the stored response's own id:\n\n${await responsesTable(baseURL)}\n`);
  const costs = (await (await fetch(`${server.origin}/admin/costs`, { headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } })).json()) as DemoCosts;
  out.write(`\n${describeCosts(costs)}\n`);
  if (once) {
    await server.close();
    await sim.close();
    return;
  }
  out.write(
    `\nsemcache is serving on ${baseURL} (admin token: ${DEMO_ADMIN_TOKEN}; metrics on ${server.origin}/metrics).\n` +
      `Point an OpenAI SDK at it, e.g. new OpenAI({ baseURL: '${baseURL}', apiKey: 'sk-anything' }). Ctrl-C stops.\n`,
  );
  closeOnSignals(server, config.server.shutdownGraceMs, (code) => {
    sim.close().finally(() => process.exit(code));
  });
}
