// load: a short bounded run of exact hits, semantic hits (a case change the exact key keeps apart)
// and pass-through, with direct rounds to the simulated upstream.
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../src/tools/bench/bench-command.js';
import type { BenchResult } from '../../../src/tools/bench/bench-result.js';
import { captureIo } from './bench-io.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('bench load', () => {
  let result: BenchResult;
  let code: number;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'semcache-bench-'));
    const io = captureIo();
    code = await runBench(
      [
        'load',
        '--duration',
        '0.8',
        '--round-ms',
        '200',
        '--warm',
        '4',
        '--mix',
        'exact=2,semantic=1,bypass=1',
        '--responses-share',
        '0.5',
        '--concurrency',
        '2',
        '--embed-workers',
        '1',
        '--json',
        join(dir, 'out.json'),
      ],
      io,
      { env: {} },
    );
    if (code !== 0) throw new Error(io.err());
    result = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as BenchResult;
  }, 90_000);

  it('groups latency by the status the proxy reported and by API, next to direct calls', () => {
    expect(code).toBe(0);
    if (result.details.mode !== 'load') throw new Error('not load');
    const { latency, proxy, direct, rounds } = result.details.load;
    expect(rounds).toBe(4);
    const statuses = ['bypass', 'exact-hit', 'semantic-hit'];
    const groups = [...statuses, 'direct', ...statuses.map((s) => `responses:${s}`), 'responses:direct'];
    expect(Object.keys(latency).filter((group) => !groups.includes(group))).toEqual([]);
    // Both APIs were sent through the proxy and directly (which groups a short run fills varies).
    const keys = Object.keys(latency);
    expect(keys.some((group) => statuses.includes(group))).toBe(true);
    expect(keys.some((group) => statuses.map((s) => `responses:${s}`).includes(group))).toBe(true);
    expect(keys).toContain('direct');
    expect(keys).toContain('responses:direct');
    const proxied = [...statuses, ...statuses.map((s) => `responses:${s}`)] as Array<keyof typeof latency>;
    expect(proxied.reduce((sum, group) => sum + (latency[group]?.count ?? 0), 0)).toBe(proxy.requests);
    expect((latency.direct?.count ?? 0) + (latency['responses:direct']?.count ?? 0)).toBe(direct.requests);
    for (const summary of Object.values(latency)) {
      expect(summary.p50Ms).toBeLessThanOrEqual(summary.p90Ms ?? 0);
      expect(summary.p90Ms).toBeLessThanOrEqual(summary.p99Ms ?? 0);
    }
  });

  it('has a hit rate of 1 when every lookup is a hit, and no precision to report', () => {
    expect(result.hitRate).toBe(1);
    expect(result.precision).toBeNull();
  });

  it('processes only the warm-up and the pass-through tokens upstream', () => {
    if (result.details.mode !== 'load') throw new Error('not load');
    expect(result.money.disagreements).toEqual([]);
    expect(result.money.tokensProcessed).toBe(result.money.tally.tokensProcessed);
    expect(result.money.tokensSaved).toBeGreaterThan(0);
  });
});
