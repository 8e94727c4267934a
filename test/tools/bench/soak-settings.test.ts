import { describe, expect, it } from 'vitest';
import { SOAK_DEFAULTS, soakProxySettings } from '../../../src/tools/bench/soak/soak-mode.js';

const run = { storeDir: '/tmp/semcache-soak-abc', upstreamUrl: 'http://127.0.0.1:9/v1', adminToken: 'token' };

describe("the soak proxy's settings", () => {
  it("keep the cache in the run's own folder, never in serve's default file another run used", () => {
    const settings = soakProxySettings({}, run);

    expect(settings.SEMCACHE_STORE).toBe('sqlite:/tmp/semcache-soak-abc/cache.db');
    expect(settings).toMatchObject(SOAK_DEFAULTS);
  });

  it('let the caller choose the store and the bounds, but not the upstream or the admin token', () => {
    const settings = soakProxySettings(
      { SEMCACHE_STORE: 'memory', SEMCACHE_MAX_ENTRIES: '50', SEMCACHE_UPSTREAM_URL: 'http://elsewhere/v1', SEMCACHE_ADMIN_TOKEN: 'mine' },
      run,
    );

    expect(settings).toMatchObject({
      SEMCACHE_STORE: 'memory',
      SEMCACHE_MAX_ENTRIES: '50',
      SEMCACHE_UPSTREAM_URL: run.upstreamUrl,
      SEMCACHE_ADMIN_TOKEN: 'token',
    });
  });
});
