// The connections to Redis, chosen so that a slow or absent Redis never holds a request: commands
// are not queued while disconnected and time out after a few hundred milliseconds; the client
// reconnects with backoff on its own; going down and coming back are each logged once.
import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { LogSink } from '../../logger.js';

/** A command that takes longer is treated as failed: the request goes on without the store. */
export const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
const MAX_BACKOFF_MS = 2_000;

export interface RedisConnection {
  /** Commands of the request path and the admin API. */
  readonly commands: Redis;
  /** A connection of its own for the change log's blocking reads. */
  readonly follower: Redis;
  readonly up: boolean;
  /** Why Redis is down, while it is. */
  readonly problem: string | undefined;
  /** Called each time the command connection is (re)established. */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  readonly url: URL;
  readonly logger: LogSink;
  /** A PEM file of the certificate authority that signed a rediss:// server's certificate. */
  readonly caFile?: string | undefined;
  readonly describe: string;
}

function optionsFor(options: RedisConnectionOptions, extra: RedisOptions): RedisOptions {
  const tls = options.url.protocol === 'rediss:' ? { tls: options.caFile === undefined ? {} : { ca: readFileSync(options.caFile) } } : {};
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), MAX_BACKOFF_MS),
    ...tls,
    ...extra,
  };
}

export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnection> {
  const commands = new Redis(options.url.href, optionsFor(options, { commandTimeout: COMMAND_TIMEOUT_MS }));
  // Blocking reads wait on purpose: no command timeout here.
  const follower = new Redis(options.url.href, optionsFor(options, { enableOfflineQueue: true }));
  const listeners: Array<() => void> = [];
  let up = false;
  let problem: string | undefined = 'connecting';
  let closing = false;

  commands.on('ready', () => {
    if (!up && problem !== 'connecting') options.logger.info({ store: options.describe }, 'redis reachable again: catching up from the change log');
    up = true;
    problem = undefined;
    for (const listener of listeners) listener();
  });
  const down = (reason: string, closed = false): void => {
    if (closing) return;
    if (up || problem === 'connecting')
      options.logger.error({ store: options.describe, reason }, "redis unreachable: serving as a proxy with this replica's own index until it is back");
    // A close that follows an error keeps the error as the reason (a wrong password, say).
    if (!closed || up || problem === undefined || problem === 'connecting') problem = reason;
    up = false;
  };
  commands.on('error', (error: Error) => down(error.message));
  commands.on('close', () => down('connection closed', true));
  // The follower reconnects on its own; its errors are the same outage as the commands'.
  follower.on('error', () => undefined);

  try {
    await commands.connect();
  } catch (error) {
    // Started while Redis is down: the client keeps retrying in the background.
    down((error as Error).message);
  }
  follower.connect().catch(() => undefined);

  return {
    commands,
    follower,
    get up() {
      return up;
    },
    get problem() {
      return problem;
    },
    onReady: (listener) => void listeners.push(listener),
    async close() {
      closing = true;
      commands.disconnect();
      follower.disconnect();
    },
  };
}
