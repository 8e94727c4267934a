import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('key check settings', () => {
  it('has the documented defaults: shared namespaces and the anonymous tenant checked, verdicts for 300 s, GET /models, fail closed where strangers reach', () => {
    expect(loadConfig({}).keys).toEqual({ verify: 'shared', verdictTtlSeconds: 300, checkPath: '/models', checkTimeoutMs: 5000, uncheckedHits: 'own' });
  });

  it('reads every setting from the environment or its flag', () => {
    const config = loadConfig({ SEMCACHE_VERIFY_KEYS: 'all', SEMCACHE_KEY_CHECK_PATH: '/auth/check' }, [
      '--key-verdict-ttl-seconds',
      '30',
      '--key-check-timeout-ms=800',
      '--unchecked-key-hits',
      'none',
    ]);
    expect(config.keys).toEqual({ verify: 'all', verdictTtlSeconds: 30, checkPath: '/auth/check', checkTimeoutMs: 800, uncheckedHits: 'none' });
  });

  it('reports bad values together', () => {
    expect(() =>
      loadConfig({
        SEMCACHE_VERIFY_KEYS: 'some',
        SEMCACHE_KEY_VERDICT_TTL_SECONDS: '0',
        SEMCACHE_KEY_CHECK_PATH: 'models',
        SEMCACHE_UNCHECKED_KEY_HITS: 'yes',
      }),
    ).toThrow(
      /SEMCACHE_KEY_CHECK_PATH="models" must start with \/[\s\S]*SEMCACHE_VERIFY_KEYS="some" must be one of shared, all, off[\s\S]*SEMCACHE_KEY_VERDICT_TTL_SECONDS=0 is out of range[\s\S]*SEMCACHE_UNCHECKED_KEY_HITS="yes" must be one of own, none, all/,
    );
  });
});
