// The settings of the key check before hits: which hits need the upstream's word on the caller's
// key, how long that word holds, how it is asked for, and what happens when it cannot be. Read
// through the shared ConfigReader; loadConfig places the result at config.keys.
import type { ConfigReader } from './config-reader.js';

/** How long an upstream's verdict on a key (accepted or refused) is trusted. */
export const DEFAULT_KEY_VERDICT_TTL_SECONDS = 300;
/** `GET <upstream>/models`: every OpenAI-compatible server has it, it costs no tokens, and it checks
 * the key like any other route. */
export const DEFAULT_KEY_CHECK_PATH = '/models';
/** A key check waits no longer than this: it stands between a client and a hit. */
export const DEFAULT_KEY_CHECK_TIMEOUT_MS = 5_000;

/** `shared`: hits from shared namespaces and the anonymous tenant (which anyone can reach) need a
 * verdict; `all`: every hit does (a revoked key stops getting its own answers); `off`: none (an
 * authenticating gateway stands in front). */
export const VERIFY_KEYS_MODES = ['shared', 'all', 'off'] as const;
/** Hits a key may still get when the upstream cannot be asked about it: `own` (its own tenant's:
 * fail open there, closed for shared namespaces and the anonymous tenant), `none` (fail closed),
 * `all` (fail open). */
export const UNCHECKED_KEY_HITS = ['own', 'none', 'all'] as const;

export type VerifyKeysMode = (typeof VERIFY_KEYS_MODES)[number];
export type UncheckedKeyHits = (typeof UNCHECKED_KEY_HITS)[number];

export interface KeyCheckConfig {
  readonly verify: VerifyKeysMode;
  readonly verdictTtlSeconds: number;
  /** Path of the check under the upstream's base URL, e.g. `/models`. */
  readonly checkPath: string;
  readonly checkTimeoutMs: number;
  readonly uncheckedHits: UncheckedKeyHits;
}

export function readKeyCheckConfig(read: ConfigReader): KeyCheckConfig {
  const checkPath = read.string(
    'KEY_CHECK_PATH',
    DEFAULT_KEY_CHECK_PATH,
    "a key with no fresh verdict is checked with `GET <upstream URL><path>` and the caller's credential headers (`authorization`, `api-key`, `x-api-key`, `openai-api-key`, `openai-organization`, `openai-project`)",
  );
  if (!checkPath.startsWith('/'))
    read.problem(`SEMCACHE_KEY_CHECK_PATH=${JSON.stringify(checkPath)} must start with / (a path under the upstream's base URL, e.g. /models)`);
  return {
    verify: read.oneOf(
      'VERIFY_KEYS',
      VERIFY_KEYS_MODES,
      'shared',
      "which reads of the cache need the upstream's word that the caller's key is good: `shared` (shared namespaces and the anonymous tenant, which strangers can reach), `all` (every one: a revoked key also stops getting its own entries), `off` (something in front already authenticates)",
    ),
    verdictTtlSeconds: read.int(
      'KEY_VERDICT_TTL_SECONDS',
      DEFAULT_KEY_VERDICT_TTL_SECONDS,
      "how long the upstream's verdict on a key is trusted (learnt from any forwarded answer, or from a check)",
      { min: 1, max: 7 * 24 * 3600 },
    ),
    checkPath,
    checkTimeoutMs: read.int('KEY_CHECK_TIMEOUT_MS', DEFAULT_KEY_CHECK_TIMEOUT_MS, 'longest wait for a key check', { min: 1, max: 600_000 }),
    uncheckedHits: read.oneOf(
      'UNCHECKED_KEY_HITS',
      UNCHECKED_KEY_HITS,
      'own',
      'when the upstream cannot say (unreachable, timed out, an answer other than 2xx/401/403): `own` = the key still reads its own tenant (fail open) but not shared namespaces or the anonymous tenant (fail closed: the request is forwarded as if there were no cache), `none` = fail closed everywhere, `all` = fail open everywhere',
    ),
  };
}
