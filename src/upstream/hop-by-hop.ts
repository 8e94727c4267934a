// Header rules of a reverse proxy (RFC 9110 §7.6.1): hop-by-hop headers describe one connection and
// are never forwarded; everything else (Authorization, OpenAI-Organization, OpenAI-Project...) is.
import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export type HeaderMap = Record<string, string | string[]>;

function isHopByHop(name: string, connectionTokens: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(name) || connectionTokens.has(name);
}

/** Names listed in a Connection header are hop-by-hop too. */
function connectionTokens(value: string | string[] | undefined): Set<string> {
  if (value === undefined) return new Set();
  const joined = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    joined
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Headers to send upstream. `host` is set by the dispatcher for the upstream origin, and
 * `content-length` is recomputed when the body is rewritten, so both are dropped here. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, options: { keepContentLength: boolean }): HeaderMap {
  const tokens = connectionTokens(incoming.connection);
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || isHopByHop(name, tokens) || name === 'host') continue;
    if (name === 'content-length' && !options.keepContentLength) continue;
    if (name === 'expect') continue;
    out[name] = value;
  }
  return out;
}

/** Headers to send back to the client from the upstream's response. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): HeaderMap {
  const tokens = connectionTokens(upstream.connection);
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || isHopByHop(name, tokens)) continue;
    out[name] = value;
  }
  return out;
}
