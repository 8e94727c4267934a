// The stage before any read of the cache (a lookup, waiting on a leader, feedback): is the caller's
// key one the upstream accepts? A key the upstream refuses never reads the cache: its request is
// answered by the upstream as if there were no cache. A key with no fresh verdict is checked first
// when the entries it could read are reachable by strangers (a shared namespace, the anonymous
// tenant; every entry with SEMCACHE_VERIFY_KEYS=all). The check comes before the lookup, not
// after a hit, so that a refused key learns nothing of what the cache holds: it gets the same
// answer whether its prompt is cached or not.
import type { FastifyReply } from 'fastify';
import type { KeyCheckConfig } from '../config-keys.js';
import { ANONYMOUS_KEY_HASH } from '../credentials.js';
import { REQUEST_HEADER, RESPONSE_HEADER } from '../semcache-headers.js';
import { headerOf, type CacheRequest } from './cache-request.js';
import { forwardBypass, type ForwardDeps } from './forward-and-store.js';
import type { CheckResult, KeyVerdicts } from './key-verdicts.js';
import { verdictKeyOf } from './key-verdicts.js';
import { buildRecord } from './request-report.js';

/** Why a request does not read the cache: its key is refused, or could not be checked (and the
 * operator chose to fail closed there). */
export type KeyRefusalReason = 'key-refused' | 'key-unchecked';

/** How a request whose key may not read the cache is answered: with the upstream's refusal of the
 * check, or by forwarding it (the upstream then answers it, as without a cache). */
export type KeyRefusal =
  { readonly kind: 'answer'; readonly refused: Extract<CheckResult, { kind: 'refused' }> } | { readonly kind: 'forward'; readonly reason: KeyRefusalReason };

export interface KeyStage {
  /** undefined when the request may read the cache. */
  admit(request: CacheRequest): Promise<KeyRefusal | undefined>;
  /** Called with the primary upstream's status for every forwarded request. */
  learn(request: CacheRequest, statusCode: number): void;
}

export interface KeyStageOptions {
  readonly config: Pick<KeyCheckConfig, 'verify' | 'uncheckedHits'>;
  readonly sharedNamespaces: readonly string[];
  readonly verdicts: KeyVerdicts;
  readonly onRefusal?: (reason: KeyRefusalReason) => void;
}

/** Whether the request would read the cache: look up, follow a leader, or report feedback. */
function readsCache(request: CacheRequest): boolean {
  const { control } = request;
  if (control.bypass || request.key.bypassReason !== undefined) return false;
  return control.lookup || headerOf(request, REQUEST_HEADER.feedback) !== undefined;
}

/** Entries any caller can reach: a shared namespace's, and the anonymous tenant's (anyone who
 * sends no key is in it). */
function reachableByStrangers(request: CacheRequest, sharedNamespaces: readonly string[]): boolean {
  const { tenancy } = request;
  return tenancy.keyHash === ANONYMOUS_KEY_HASH || (tenancy.namespace !== undefined && sharedNamespaces.includes(tenancy.namespace));
}

export function createKeyStage(options: KeyStageOptions): KeyStage {
  const { config, verdicts } = options;
  const refuse = (refusal: KeyRefusal): KeyRefusal => {
    options.onRefusal?.(refusal.kind === 'answer' ? 'key-refused' : refusal.reason);
    return refusal;
  };
  return {
    async admit(request) {
      if (config.verify === 'off' || !readsCache(request)) return undefined;
      const headers = request.call.request.headers;
      const key = verdictKeyOf(request.tenancy.keyHash, headers);
      const known = verdicts.verdict(key);
      if (known === true) return undefined;
      // Refused, for whatever entries: the upstream said so, and no check was needed to learn it.
      if (known === false) return refuse({ kind: 'forward', reason: 'key-refused' });
      const strangers = reachableByStrangers(request, options.sharedNamespaces);
      if (config.verify === 'shared' && !strangers) return undefined;
      const result = await verdicts.check(key, headers);
      if (result.kind === 'accepted') return undefined;
      if (result.kind === 'refused') return refuse({ kind: 'answer', refused: result });
      const failOpen = config.uncheckedHits === 'all' || (config.uncheckedHits === 'own' && !strangers);
      return failOpen ? undefined : refuse({ kind: 'forward', reason: 'key-unchecked' });
    },
    learn(request, statusCode) {
      if (config.verify === 'off') return;
      verdicts.learn(verdictKeyOf(request.tenancy.keyHash, request.call.request.headers), statusCode);
    },
  };
}

/** A request whose key may not read the cache, answered without it; reported once, as a bypass. */
export function answerWithoutCache(request: CacheRequest, refusal: KeyRefusal, deps: ForwardDeps): Promise<FastifyReply> | FastifyReply {
  if (refusal.kind === 'forward') return forwardBypass(request, deps, refusal.reason);
  const { refused } = refusal;
  const { reply, request: incoming } = request.call;
  deps.record(buildRecord(request, { status: 'bypass', statusCode: refused.statusCode }));
  return reply
    .code(refused.statusCode)
    .headers({ ...refused.headers, 'x-request-id': incoming.id, [RESPONSE_HEADER.status]: 'bypass', [RESPONSE_HEADER.bypassReason]: 'key-refused' })
    .send(refused.body);
}
