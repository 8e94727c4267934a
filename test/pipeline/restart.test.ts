// The cache survives a restart (SEMCACHE_STORE=sqlite:PATH): the proxy is closed as on SIGTERM and
// started again on the same file; the same prompts are exact hits and paraphrases semantic hits at
// once, feedback blocks still hold, and a bad file stops the start with one error naming it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { at, handEmbedder } from '../helpers/hand-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack } from '../helpers/stack.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semcache-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VECTORS = new Map([
  ['How do I reset my password?', at(0)],
  ['How can I reset my password?', at(0.1)],
  ['What are your opening hours?', at(1)],
  ['When are you open?', at(1.05)],
]);
const embedder = handEmbedder(VECTORS);

async function ask(baseURL: string, question: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-a', ...headers },
    body: chatRequest(question),
  });
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return { status: res.headers.get('x-semcache-status'), entryId: res.headers.get('x-semcache-entry-id'), answer: body.choices[0]?.message.content };
}

describe('a restart on the same SQLite file', () => {
  it('serves the same prompts as exact hits and paraphrases as semantic hits at once', async () => {
    const env = { SEMCACHE_STORE: `sqlite:${join(dir, 'cache.db')}`, SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_THRESHOLD: '0.99', SEMCACHE_GUARDS: 'none' };
    const first = await startStack({ env, deps: { embedder } });
    const stored = await ask(first.baseURL, 'How do I reset my password?');
    const hours = await ask(first.baseURL, 'What are your opening hours?');
    expect([stored.status, hours.status]).toEqual(['miss', 'miss']);
    const wrong = await ask(first.baseURL, 'When are you open?');
    expect(wrong.status).toBe('semantic-hit');
    await ask(first.baseURL, 'When are you open?', { 'x-semcache-feedback': 'wrong', 'x-semcache-entry-id': wrong.entryId ?? '', 'cache-control': 'no-store' });
    await first.close();

    const second = await startStack({ env, deps: { embedder } });
    expect(second.sim.stats.byPath['/v1/chat/completions'] ?? 0).toBe(0);
    const exact = await ask(second.baseURL, 'How do I reset my password?');
    expect(exact).toEqual({ status: 'exact-hit', entryId: stored.entryId, answer: stored.answer });
    const paraphrase = await ask(second.baseURL, 'How can I reset my password?');
    expect(paraphrase).toMatchObject({ status: 'semantic-hit', entryId: stored.entryId, answer: stored.answer });
    // The feedback block was written through: that pairing still misses.
    expect((await ask(second.baseURL, 'When are you open?', { 'cache-control': 'no-store' })).status).toBe('miss');
    expect(second.sim.stats.byPath['/v1/chat/completions']).toBe(1);
    const ready = (await (await fetch(`${second.origin}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toEqual({ status: 'ready', store: { kind: 'sqlite', indexBehind: 0 } });
    await second.close();
  });

  it('stops `semcache serve` with one error naming a file that is not a cache', async () => {
    const path = join(dir, 'not-a-cache.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(100));
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--upstream-url', 'http://127.0.0.1:9/v1', '--store', `sqlite:${path}`, '--embed-workers', '0', '--log-level', 'silent'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      `semcache: ${path}: is not a SQLite database`,
      'Fix or remove the file, point SEMCACHE_STORE elsewhere, or set SEMCACHE_STORE_ON_BAD_FILE=move-aside to keep it aside and start empty.',
    ]);
  }, 60_000);
});
