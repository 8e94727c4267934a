// The proxy under soak, in a process of its own (`semcache serve`, as deployed), so that its
// memory, its event loop and its logs are its own and not the load generator's. Its resident
// memory and event-loop delay are read from its own /metrics (prom-client's process metrics).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sumOfMetric } from '../prometheus-text.js';

/** dist/cli.js, found from src/tools/bench/soak (tests) and dist/tools/bench/soak (the CLI) alike. */
const CLI = fileURLToPath(new URL('../../../../dist/cli.js', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_SAMPLES = 10;

export interface ProxySample {
  readonly rssBytes: number;
  /** The p99 of the event loop's delay since the previous sample, and its maximum. */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
}

export interface ProxyLogs {
  warn: number;
  error: number;
  /** The first error and fatal lines' messages. */
  readonly samples: string[];
}

export interface SoakProxy {
  readonly origin: string;
  readonly logs: ProxyLogs;
  sample(): Promise<ProxySample | undefined>;
  /** The exit code if the process has ended. */
  exitCode(): number | null;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function watchLogs(child: ChildProcess, logs: ProxyLogs): void {
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if ((entry.level ?? 0) >= 50) {
        logs.error++;
        if (logs.samples.length < LOG_SAMPLES) logs.samples.push(`${entry.msg ?? ''}${entry.err?.message === undefined ? '' : `: ${entry.err.message}`}`);
      } else if ((entry.level ?? 0) >= 40) logs.warn++;
    }
  });
}

async function waitReady(origin: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the proxy exited with code ${child.exitCode} before it was ready: ${stderr().slice(-2000)}`);
    try {
      if ((await fetch(`${origin}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the proxy was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

/** Starts `semcache serve` with these SEMCACHE_* settings (port and host are chosen here). */
export async function startSoakProxy(settings: Readonly<Record<string, string>>): Promise<SoakProxy> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SEMCACHE_')));
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...inherited, ...settings, SEMCACHE_PORT: String(port), SEMCACHE_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: ProxyLogs = { warn: 0, error: 0, samples: [] };
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  watchLogs(child, logs);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitReady(origin, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    origin,
    logs,
    async sample() {
      try {
        const text = await (await fetch(`${origin}/metrics`)).text();
        return {
          rssBytes: sumOfMetric(text, 'process_resident_memory_bytes'),
          loopP99Ms: sumOfMetric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
          loopMaxMs: sumOfMetric(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
        };
      } catch {
        return undefined;
      }
    },
    exitCode: () => child.exitCode,
    stop,
  };
}
