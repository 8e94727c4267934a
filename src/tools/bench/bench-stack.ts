// The servers a bench run talks to: the simulated upstream (unless the user gives an upstream URL)
// and the proxy in front of it, both in this process on 127.0.0.1, free ports. The embedding still
// runs in the proxy's worker threads. close() stops everything that was started, whatever failed.
import { randomBytes } from 'node:crypto';
import { embedderSpec } from '../../embed/embedder-spec.js';
import { loadConfig } from '../../config.js';
import { createEmbedder } from '../../embed/create-embedder.js';
import type { Embedder } from '../../embed/embedder.js';
import { startServer, type RunningServer } from '../../server.js';
import { startSimUpstream, type SimUpstream } from '../sim/sim-app.js';
import type { SimOptions } from '../sim/sim-options.js';

export interface BenchStack {
  /** The proxy's base URL for an OpenAI client, e.g. http://127.0.0.1:40000/v1 */
  readonly proxyUrl: string;
  readonly proxyOrigin: string;
  readonly upstreamUrl: string;
  readonly adminToken: string;
  /** Origins of the servers this stack started (the ones close() stops). */
  readonly started: readonly string[];
  close(): Promise<void>;
}

export interface StackSettings {
  /** SEMCACHE_* settings for the proxy; the stack adds the upstream, port, host and admin token. */
  readonly proxyEnv: Readonly<Record<string, string>>;
  /** A real upstream's base URL; the simulator is started when undefined. */
  readonly upstreamUrl: string | undefined;
  readonly sim: Partial<SimOptions>;
}

export async function startBenchStack(settings: StackSettings): Promise<BenchStack> {
  let sim: SimUpstream | undefined;
  let proxy: RunningServer | undefined;
  let embedder: Embedder | undefined;
  const closeAll = async (): Promise<void> => {
    // The proxy first: it holds connections to the upstream and uses the embedder.
    try {
      await proxy?.close();
    } finally {
      await Promise.all([embedder?.close(), sim?.close()]);
    }
  };
  try {
    if (settings.upstreamUrl === undefined) sim = await startSimUpstream(settings.sim, { port: 0, host: '127.0.0.1' });
    const upstreamUrl = settings.upstreamUrl ?? sim?.url ?? '';
    const adminToken = randomBytes(16).toString('hex');
    const config = loadConfig({
      SEMCACHE_LOG_LEVEL: 'silent',
      ...settings.proxyEnv,
      SEMCACHE_UPSTREAM_URL: upstreamUrl,
      SEMCACHE_PORT: '0',
      SEMCACHE_HOST: '127.0.0.1',
      SEMCACHE_ADMIN_TOKEN: adminToken,
    });
    // The embedder is loaded here rather than by the cache plugin: on a loaded machine loading the
    // model workers can outlast fastify's plugin timeout.
    embedder = await createEmbedder({ backend: embedderSpec(config.embed), workers: config.embed.workers, maxBatch: config.embed.maxBatch });
    proxy = await startServer(config, { embedder });
    const started = [proxy.origin, ...(sim === undefined ? [] : [sim.origin])];
    return { proxyUrl: `${proxy.origin}/v1`, proxyOrigin: proxy.origin, upstreamUrl, adminToken, started, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
