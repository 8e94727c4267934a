import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

describe('health and readiness', () => {
  it('is alive but not ready without an upstream, and says why', async () => {
    const app = buildApp(loadConfig({ SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_CACHE_ENABLED: 'false' }));
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not ready', failing: ['upstream'] });
    const chat = await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'm', messages: [{ role: 'user', content: 'x' }] } });
    expect(chat.statusCode).toBe(503);
    expect(chat.json().error.code).toBe('SEMCACHE_ERR_UPSTREAM_NOT_CONFIGURED');
    await app.close();
  });

  it('is ready with an upstream configured', async () => {
    const app = buildApp(loadConfig({ SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_CACHE_ENABLED: 'false', SEMCACHE_UPSTREAM_URL: 'http://127.0.0.1:9/v1' }));
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready' });
    await app.close();
  });
});
