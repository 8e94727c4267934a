// What the upstream thinks of each API key, as semcache has learnt it. A hit never reaches the
// upstream, which is where keys are checked, so the cache must know a key is accepted before it
// answers for it. Verdicts come from the upstream's own answers (a 2xx to a forwarded request
// proves a key, a 401 or 403 disproves it) and, for a key with no fresh verdict, from one cheap
// call with the key's credentials (`GET <upstream>/models`); either holds for a TTL. Concurrent
// checks of one key share one call. No HTTP framework here: the stage that asks is key-stage.ts.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { firstHeader } from '../semcache-headers.js';
import { callUpstream } from '../upstream/forward.js';
import { clientResponseHeaders, type HeaderMap } from '../upstream/hop-by-hop.js';
import type { Upstream } from '../upstream/upstream.js';

/** The upstream's answer to a check: the key is accepted, refused (its answer kept, to be given to
 * the client as it is), or nothing can be said (unreachable, timed out, any other status). */
export type CheckResult =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly statusCode: number; readonly headers: HeaderMap; readonly body: Buffer }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface KeyVerdicts {
  /** true: accepted, false: refused, undefined: no verdict younger than the TTL. */
  verdict(key: string): boolean | undefined;
  /** What the upstream's answer to a forwarded request says about its key, if anything. */
  learn(key: string, statusCode: number): void;
  /** Asks the upstream about the key the headers carry (one call at a time per key). */
  check(key: string, headers: IncomingHttpHeaders): Promise<CheckResult>;
  readonly size: number;
}

export interface KeyVerdictOptions {
  readonly upstream: Upstream;
  /** Under the upstream's base URL, e.g. `/models`. */
  readonly checkPath: string;
  readonly checkTimeoutMs: number;
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly onCheck?: (result: CheckResult['kind']) => void;
  readonly maxVerdicts?: number;
}

/** Verdicts kept at most (the oldest go first): strangers' random keys must not grow memory. */
export const MAX_VERDICTS = 100_000;

/** Sent with a check: what identifies the caller to an OpenAI-compatible server. The organisation
 * and project headers decide what a key may do, so they are part of the verdict's key too. */
const CREDENTIAL_HEADERS = ['authorization', 'api-key', 'x-api-key', 'openai-api-key', 'openai-organization', 'openai-project'] as const;
const SCOPE_HEADERS = ['openai-organization', 'openai-project'] as const;

/** The key a verdict is kept under: the caller's key hash, with its organisation and project. */
export function verdictKeyOf(keyHash: string, headers: IncomingHttpHeaders): string {
  const scope = SCOPE_HEADERS.map((name) => firstHeader(headers, name) ?? '');
  if (scope.every((value) => value === '')) return keyHash;
  return createHash('sha256')
    .update([keyHash, ...scope].join('\n'), 'utf8')
    .digest('hex')
    .slice(0, 16);
}

function credentialHeaders(headers: IncomingHttpHeaders): HeaderMap {
  const out: HeaderMap = {};
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** 2xx: accepted; 401 (who are you?) or 403 (not you): refused; anything else says nothing. */
function meaning(statusCode: number): boolean | undefined {
  if (statusCode >= 200 && statusCode < 300) return true;
  if (statusCode === 401 || statusCode === 403) return false;
  return undefined;
}

async function ask(options: KeyVerdictOptions, headers: IncomingHttpHeaders): Promise<CheckResult> {
  const { upstream } = options;
  const signal = AbortSignal.timeout(options.checkTimeoutMs);
  let response: Dispatcher.ResponseData;
  try {
    response = await callUpstream(upstream, { method: 'GET', path: `${upstream.basePath}${options.checkPath}`, headers: credentialHeaders(headers), signal });
  } catch (error) {
    return { kind: 'unknown', reason: signal.aborted ? 'timeout' : error instanceof Error ? error.message : 'unreachable' };
  }
  const accepted = meaning(response.statusCode);
  try {
    if (accepted !== false) {
      await response.body.dump();
      return accepted === true ? { kind: 'accepted' } : { kind: 'unknown', reason: `status ${response.statusCode}` };
    }
    const body = Buffer.from(await response.body.arrayBuffer());
    const kept = clientResponseHeaders(response.headers);
    const contentType = kept['content-type'];
    return { kind: 'refused', statusCode: response.statusCode, headers: contentType === undefined ? {} : { 'content-type': contentType }, body };
  } catch {
    return { kind: 'unknown', reason: signal.aborted ? 'timeout' : 'answer cut short' };
  }
}

export function createKeyVerdicts(options: KeyVerdictOptions): KeyVerdicts {
  const now = options.now ?? Date.now;
  const maxVerdicts = options.maxVerdicts ?? MAX_VERDICTS;
  const verdicts = new Map<string, { accepted: boolean; expiresAt: number }>();
  const checking = new Map<string, Promise<CheckResult>>();

  const remember = (key: string, accepted: boolean): void => {
    // Re-inserted, so that the map's order is the order of last verdicts and the oldest go first.
    verdicts.delete(key);
    verdicts.set(key, { accepted, expiresAt: now() + options.ttlMs });
    if (verdicts.size > maxVerdicts) verdicts.delete(verdicts.keys().next().value as string);
  };

  return {
    verdict(key) {
      const found = verdicts.get(key);
      if (found === undefined) return undefined;
      if (found.expiresAt <= now()) {
        verdicts.delete(key);
        return undefined;
      }
      return found.accepted;
    },
    learn(key, statusCode) {
      const accepted = meaning(statusCode);
      if (accepted !== undefined) remember(key, accepted);
    },
    check(key, headers) {
      const pending = checking.get(key);
      if (pending !== undefined) return pending;
      const started = ask(options, headers).then((result) => {
        checking.delete(key);
        if (result.kind !== 'unknown') remember(key, result.kind === 'accepted');
        options.onCheck?.(result.kind);
        return result;
      });
      checking.set(key, started);
      return started;
    },
    get size() {
      return verdicts.size;
    },
  };
}
