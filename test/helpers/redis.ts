// Real Redis for the tests that claim Redis behaviour. The shared server comes from
// SEMCACHE_TEST_REDIS_URL (default redis://127.0.0.1:6379): in CI (CI=true) a missing one fails the
// run; elsewhere those tests are skipped with one line saying why. A test that stops, restarts or
// cuts Redis starts its own redis-server on a free port and ends it by its PID; a cut is a TCP relay
// in front of a real server that the test can sever and restore.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.SEMCACHE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether the shared Redis answers; in CI a missing one is an error, not a skip. */
export async function sharedRedisReachable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`CI=true and no Redis answers at ${TEST_REDIS_URL}: the Redis tests must run in CI`);
    console.warn(`Redis tests skipped: no Redis answers at ${TEST_REDIS_URL} (set SEMCACHE_TEST_REDIS_URL, or start redis-server)`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A prefix of its own for each test, so tests on the shared Redis never meet. */
export function testPrefix(): string {
  return `semcache-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key of a prefix from the shared Redis. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (its data goes with it: it keeps nothing on disk). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** A redis-server of the test's own, on a free loopback port, nothing on disk. */
export async function startOwnRedis(options: { password?: string; tls?: { cert: string; key: string } } = {}): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const listen =
    options.tls === undefined
      ? ['--port', String(port)]
      : [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.cert,
          '--tls-key-file',
          options.tls.key,
          '--tls-ca-cert-file',
          options.tls.cert,
          '--tls-auth-clients',
          'no',
        ];
  const args = [
    ...listen,
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
  ];
  async function start(): Promise<void> {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Ready to accept connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  }
  await start();
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    port,
    url: `${options.tls === undefined ? 'redis' : 'rediss'}://${auth}127.0.0.1:${port}`,
    async stop() {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      process.kill(running.pid ?? -1, 'SIGKILL');
      await exited;
    },
    start,
  };
}

export interface CutRelay {
  readonly url: string;
  /** Severs every connection and refuses new ones, as a network partition would. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP relay in front of a real Redis, which the test can cut. */
export async function startCutRelay(target: { host: string; port: number }): Promise<CutRelay> {
  const sockets = new Set<Socket>();
  let severed = false;
  const server: Server = createServer((client) => {
    if (severed) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      severed = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      severed = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
