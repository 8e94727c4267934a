// The embedder's settings (SEMCACHE_EMBEDDER and SEMCACHE_EMBED_*) and the spec built from them.
import { describe, expect, it } from 'vitest';
import { loadConfig, readEmbedApiKey } from '../../src/config.js';
import { embedderSpec } from '../../src/embed/embedder-spec.js';

const REMOTE = { SEMCACHE_EMBEDDER: 'openai', SEMCACHE_EMBED_URL: 'http://10.0.0.5:8000/v1', SEMCACHE_EMBED_MODEL: 'BAAI/bge-small-en-v1.5' };

describe('embedder settings', () => {
  it('runs USE-lite on onnxruntime by default, and on TensorFlow.js with use-tfjs', () => {
    expect(embedderSpec(loadConfig({}).embed)).toEqual({ kind: 'use' });
    expect(embedderSpec(loadConfig({ SEMCACHE_EMBEDDER: 'use-tfjs' }).embed)).toEqual({ kind: 'use-tfjs' });
  });

  it('builds a remote spec from the URL, model, key, timeout, batch wait and dimension', () => {
    const config = loadConfig({ ...REMOTE, SEMCACHE_EMBED_API_KEY: 'sk-embed', SEMCACHE_EMBED_DIMENSION: '384' }, [
      '--embed-timeout-ms',
      '250',
      '--embed-batch-wait-ms',
      '0.5',
    ]);
    expect(embedderSpec(config.embed)).toEqual({
      kind: 'openai',
      url: new URL('http://10.0.0.5:8000/v1'),
      model: 'BAAI/bge-small-en-v1.5',
      apiKey: 'sk-embed',
      timeoutMs: 250,
      batchWaitMs: 0.5,
      dimension: 384,
    });
  });

  it('waits 1 s for a remote call and at most 5 ms for a batch to fill by default, and learns the dimension', () => {
    expect(loadConfig(REMOTE).embed).toMatchObject({ timeoutMs: 1000, batchWaitMs: 5, dimension: undefined, apiKey: undefined });
  });

  it('requires the URL and the model name for openai, in one error', () => {
    expect(() => loadConfig({ SEMCACHE_EMBEDDER: 'openai' })).toThrow(
      /SEMCACHE_EMBEDDER=openai needs SEMCACHE_EMBED_URL .*\n.*SEMCACHE_EMBEDDER=openai needs SEMCACHE_EMBED_MODEL/,
    );
  });

  it('refuses a bad URL, timeout or dimension', () => {
    expect(() => loadConfig({ ...REMOTE, SEMCACHE_EMBED_URL: 'ftp://x' })).toThrow('SEMCACHE_EMBED_URL="ftp://x" is not an http(s) URL');
    expect(() => loadConfig({ ...REMOTE, SEMCACHE_EMBED_TIMEOUT_MS: '0' })).toThrow('SEMCACHE_EMBED_TIMEOUT_MS=0 is out of range');
    expect(() => loadConfig({ ...REMOTE, SEMCACHE_EMBED_DIMENSION: '1.5' })).toThrow('SEMCACHE_EMBED_DIMENSION="1.5" is not an integer');
    expect(() => loadConfig({ SEMCACHE_EMBEDDER: 'tfjs' })).toThrow('must be one of use, use-tfjs, transformers, openai');
  });

  it('reads the key alone for semcache calibrate', () => {
    expect(readEmbedApiKey({ SEMCACHE_EMBED_API_KEY: 'sk-x' })).toBe('sk-x');
    expect(readEmbedApiKey({})).toBeUndefined();
  });
});
