// A real stack on loopback for integration tests: the simulated upstream and the proxy, both on
// 127.0.0.1 port 0, with the proxy's log lines captured as parsed JSON.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startSimUpstream, type SimUpstream } from '../../src/tools/sim/sim-app.js';
import type { SimOptions } from '../../src/tools/sim/sim-options.js';

export interface Stack {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly sim: SimUpstream;
  /** The proxy's base URL for an OpenAI client, e.g. http://127.0.0.1:40000/v1 */
  readonly baseURL: string;
  readonly origin: string;
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly env?: Record<string, string>;
  readonly sim?: Partial<SimOptions>;
  readonly deps?: Omit<AppDeps, 'logStream'>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sim = await startSimUpstream(options.sim ?? {});
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadConfig({ SEMCACHE_UPSTREAM_URL: sim.url, SEMCACHE_PORT: '0', SEMCACHE_EMBED_WORKERS: '1', ...options.env });
  const app = buildApp(config, { ...options.deps, logStream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    app,
    config,
    sim,
    origin,
    baseURL: `${origin}/v1`,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await app.close();
      await sim.close();
    },
  };
}
