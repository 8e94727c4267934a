// `semcache demo --once`: the whole system on embedded defaults, and the table it prints.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../src/tools/demo/demo-command.js';

describe('semcache demo --once', () => {
  it('shows misses, an exact hit, paraphrase hits, guards catching the opposite question and other code, tenant isolation, and the Responses API', async () => {
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString('utf8');
        callback();
      },
    });
    await runDemo(['--once', '--port', '0', '--embed-workers', '1'], out);
    const rows = text.split('\n').filter((line) => /^\d+\s/.test(line));
    const statuses = rows.map((row) => /\b(exact-hit|semantic-hit|miss|bypass)\b/.exec(row)?.[1]);
    expect(statuses).toEqual([
      'miss',
      'miss',
      'miss',
      'miss',
      'exact-hit',
      'semantic-hit',
      'semantic-hit',
      'semantic-hit',
      'semantic-hit',
      'miss',
      'miss',
      'miss',
      'miss',
      'miss',
    ]);
    expect(rows[10]).toContain('polarity');
    expect(rows[12]).toMatch(/miss\s+code\s/);
    // The paraphrase of row 6 was answered with row 1's answer.
    expect(rows[5]).toMatch(/How can I reset my password\?.*How do I reset my password\?$/);
    // The Responses API part: a hit serves the stored id, and a follow-up on it is answered upstream.
    const responsesRows = text.split('\n').filter((line) => /^R\d\s/.test(line));
    expect(responsesRows.map((row) => /\b(exact-hit|semantic-hit|miss|bypass)\b/.exec(row)?.[1])).toEqual([
      'miss',
      'exact-hit',
      'semantic-hit',
      'miss',
      'exact-hit',
      'miss',
    ]);
    const firstId = /\b(resp_\w+)/.exec(responsesRows[0] ?? '')?.[1];
    expect(firstId).toBeDefined();
    expect(responsesRows[1]).toContain(firstId);
    expect(responsesRows[5]).toContain(`previous_response_id ${firstId}`);
    expect(responsesRows[5]).toMatch(/And how is it invalidated\?$/);
    expect(text).toMatch(/requests 20, hit rate 40%/);
    expect(text).toMatch(/tokens processed by the upstream \d+, served from the cache \d+/);
  }, 60_000);
});
