import { describe, expect, it } from 'vitest';
import { defaultEmbedWorkers, loadConfig } from '../src/config.js';
import { ConfigError } from '../src/config-reader.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(8080);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.upstream.url).toBeUndefined();
    expect(config.cache.threshold).toBe(0.95);
    expect(config.embed.backend).toBe('use');
    expect(Object.isFrozen(config.cache)).toBe(true);
  });

  it('reads the support guard settings, 0.95 and 0.04 by default', () => {
    expect(loadConfig({}).cache).toMatchObject({ supportSimilarity: 0.95, supportPenalty: 0.04 });
    const config = loadConfig({ SEMCACHE_SUPPORT_SIMILARITY: '0.93' }, ['--support-penalty', '0']);
    expect(config.cache).toMatchObject({ supportSimilarity: 0.93, supportPenalty: 0 });
    expect(() => loadConfig({ SEMCACHE_SUPPORT_PENALTY: '-0.1' })).toThrow('SEMCACHE_SUPPORT_PENALTY=-0.1 is out of range [0, 1]');
    expect(loadConfig({}).cache.guardMaxWords).toBe(256);
    expect(loadConfig({ SEMCACHE_GUARD_MAX_WORDS: '64' }).cache.guardMaxWords).toBe(64);
  });

  it('gives onnxruntime one embedding process per two cores and TF.js one thread per core, at most 4', () => {
    expect([1, 2, 3, 4, 8, 16].map((cores) => defaultEmbedWorkers('use', cores))).toEqual([1, 1, 1, 2, 4, 4]);
    expect([1, 2, 4, 16].map((cores) => defaultEmbedWorkers('transformers', cores))).toEqual([1, 1, 2, 4]);
    expect([1, 2, 4, 16].map((cores) => defaultEmbedWorkers('use-tfjs', cores))).toEqual([1, 2, 4, 4]);
    expect(loadConfig({}).embed.workers).toBe(defaultEmbedWorkers('use'));
    expect(loadConfig({ SEMCACHE_EMBEDDER: 'use-tfjs' }).embed.workers).toBe(defaultEmbedWorkers('use-tfjs'));
    expect(loadConfig({ SEMCACHE_EMBED_WORKERS: '3' }).embed.workers).toBe(3);
  });

  it('lets a flag win over the variable', () => {
    const config = loadConfig({ SEMCACHE_PORT: '9000', SEMCACHE_UPSTREAM_URL: 'http://a:1/v1' }, ['--port', '9100', '--threshold=0.9']);
    expect(config.server.port).toBe(9100);
    expect(config.cache.threshold).toBe(0.9);
    expect(config.upstream.url?.href).toBe('http://a:1/v1');
  });

  it('reports every bad value in one error', () => {
    let error: unknown;
    try {
      loadConfig(
        { SEMCACHE_PORT: 'eighty', SEMCACHE_UPSTREAM_URL: 'ftp://x', SEMCACHE_THRESHOLD: '1.5', SEMCACHE_LOG_LEVEL: 'loud', SEMCACHE_CACHE_ENABLED: 'maybe' },
        ['--bogus', '1'],
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'SEMCACHE_PORT="eighty" is not an integer',
      'SEMCACHE_LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent',
      'SEMCACHE_UPSTREAM_URL="ftp://x" is not an http(s) URL',
      'SEMCACHE_THRESHOLD=1.5 is out of range [0, 1]',
      'SEMCACHE_CACHE_ENABLED="maybe" is not a boolean (true/false)',
      'unknown flag --bogus',
    ]);
  });
});
