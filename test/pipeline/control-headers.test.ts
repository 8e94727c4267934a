// Per-request cache control from headers: cache-control no-cache / no-store, x-semcache-bypass and
// x-semcache-threshold within the operator's bounds.
import { describe, expect, it } from 'vitest';
import { readCacheControl } from '../../src/pipeline/control-headers.js';
import { SemcacheError } from '../../src/errors.js';

const BOUNDS = { threshold: 0.95, min: 0.8, max: 1 };

describe('readCacheControl', () => {
  it("looks up and stores at the operator's threshold by default", () => {
    expect(readCacheControl({}, BOUNDS)).toEqual({ bypass: false, lookup: true, store: true, threshold: 0.95 });
  });

  it('skips the lookup on no-cache and the store on no-store, case and spacing aside', () => {
    expect(readCacheControl({ 'cache-control': 'No-Cache' }, BOUNDS)).toMatchObject({ lookup: false, store: true });
    expect(readCacheControl({ 'cache-control': 'max-age=0, no-store' }, BOUNDS)).toMatchObject({ lookup: true, store: false });
    expect(readCacheControl({ 'cache-control': ' no-cache , no-store ' }, BOUNDS)).toMatchObject({ lookup: false, store: false, bypass: false });
  });

  it('bypasses on x-semcache-bypass 1 or true, and on nothing else', () => {
    expect(readCacheControl({ 'x-semcache-bypass': '1' }, BOUNDS)).toEqual({ bypass: true, lookup: false, store: false, threshold: 0.95 });
    expect(readCacheControl({ 'x-semcache-bypass': 'TRUE' }, BOUNDS).bypass).toBe(true);
    expect(readCacheControl({ 'x-semcache-bypass': '0' }, BOUNDS).bypass).toBe(false);
    expect(readCacheControl({ 'x-semcache-bypass': 'yes' }, BOUNDS).bypass).toBe(false);
  });

  it('takes a threshold within the bounds, the bounds included, and ignores a blank one', () => {
    expect(readCacheControl({ 'x-semcache-threshold': '0.9' }, BOUNDS).threshold).toBe(0.9);
    expect(readCacheControl({ 'x-semcache-threshold': '0.8' }, BOUNDS).threshold).toBe(0.8);
    expect(readCacheControl({ 'x-semcache-threshold': '1' }, BOUNDS).threshold).toBe(1);
    expect(readCacheControl({ 'x-semcache-threshold': '  ' }, BOUNDS).threshold).toBe(0.95);
  });

  it('refuses a threshold outside the bounds or not a number, naming the header', () => {
    for (const value of ['0.79', '1.01', 'high', 'NaN', 'Infinity']) {
      let error: unknown;
      try {
        readCacheControl({ 'x-semcache-threshold': value }, BOUNDS);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SemcacheError);
      expect((error as SemcacheError).code).toBe('SEMCACHE_ERR_CACHE_THRESHOLD_OUT_OF_BOUNDS');
      expect((error as SemcacheError).param).toBe('x-semcache-threshold');
      expect((error as SemcacheError).status).toBe(400);
    }
  });

  it('reads the first value of a header sent twice', () => {
    expect(readCacheControl({ 'cache-control': ['no-store', 'no-cache'] as unknown as string }, BOUNDS)).toMatchObject({ lookup: true, store: false });
  });
});
