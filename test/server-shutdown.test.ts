// `semcache serve` as a user runs it: on SIGTERM it stops accepting, lets the request in flight
// finish, then exits 0. Runs the built CLI (npm test builds first).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimUpstream, type SimUpstream } from '../src/tools/sim/sim-app.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let sim: SimUpstream;

beforeAll(async () => {
  sim = await startSimUpstream({ ttftMs: 600 });
});
afterAll(() => sim.close());

describe('semcache serve', () => {
  it('finishes the request in flight on SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--upstream-url', sim.url, '--cache-enabled', 'false'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const origin = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /"origin":"(http:\/\/[^"]+)"/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const inFlight = fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: 'slow one' }] }),
    });
    await expect.poll(() => sim.stats.byPath['/v1/chat/completions'] ?? 0, { timeout: 5000 }).toBe(1);
    child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toContain('Answer to: slow one');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('shutting down');
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });

  it('exits 2 with a message saying how to set an upstream when none is configured', async () => {
    const child = spawn(process.execPath, [CLI, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('SEMCACHE_UPSTREAM_URL');
  });
});
