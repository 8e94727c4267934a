// The upstream: one undici Pool with keep-alive per upstream origin, injected into the routes.
import { Pool, type Dispatcher } from 'undici';
import { SemcacheError } from '../errors.js';

export interface Upstream {
  readonly dispatcher: Dispatcher;
  /** Path prefix of the configured base URL, e.g. `/v1`, without a trailing slash. */
  readonly basePath: string;
  readonly origin: string;
  readonly timeoutMs: number;
  /** Maps a client path under /v1 (with its query) to the upstream path. */
  pathFor(clientUrl: string): string;
}

export function createUpstream(options: { url: URL; timeoutMs: number; connections: number; dispatcher?: Dispatcher }): Upstream {
  const basePath = options.url.pathname.replace(/\/+$/, '');
  const dispatcher =
    options.dispatcher ??
    new Pool(options.url.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  return {
    dispatcher,
    basePath,
    origin: options.url.origin,
    timeoutMs: options.timeoutMs,
    pathFor(clientUrl) {
      // The SDK's base URL ends in /v1 and so does the upstream's: /v1/x maps to <basePath>/x.
      const rest = clientUrl.startsWith('/v1') ? clientUrl.slice(3) : clientUrl;
      return `${basePath}${rest}`;
    },
  };
}

/** The answer of every /v1 route while no upstream is configured. */
export function upstreamNotConfigured(): never {
  throw new SemcacheError('SEMCACHE_ERR_UPSTREAM_NOT_CONFIGURED', 'No upstream is configured: set SEMCACHE_UPSTREAM_URL (e.g. http://127.0.0.1:8000/v1).');
}
