// Feedback from the client on a wrong hit, and shadow verification of semantic hits against an
// upstream whose answers change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.js';
import { useEmbedder } from '../helpers/shared-embedder.js';
import { chatRequest } from '../helpers/sse.js';
import { startStack, type Stack } from '../helpers/stack.js';

let embedder: Embedder;

beforeAll(async () => {
  embedder = await useEmbedder();
});
afterAll(() => embedder.close());

async function ask(
  stack: Stack,
  question: string,
  headers: Record<string, string> = {},
  key = 'sk-feedback',
): Promise<{ status: string | null; entryId: string | null; feedback: string | null; content: string }> {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: chatRequest(question),
  });
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return {
    status: res.headers.get('x-semcache-status'),
    entryId: res.headers.get('x-semcache-entry-id'),
    feedback: res.headers.get('x-semcache-feedback'),
    content: body.choices[0]?.message.content ?? '',
  };
}

describe('x-semcache-feedback: wrong', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent' }, deps: { embedder } });
  });
  afterAll(() => stack.close());

  it('blocks the reported pairing, answers fresh, and leaves the entry for other prompts', async () => {
    const stored = await ask(stack, 'How do I reset my password?');
    expect(stored.status).toBe('miss');
    expect(stored.entryId).not.toBeNull();
    const wrong = await ask(stack, 'How can I reset my password?');
    expect(wrong).toMatchObject({ status: 'semantic-hit', entryId: stored.entryId });

    const reported = await ask(stack, 'How can I reset my password?', { 'x-semcache-feedback': 'wrong', 'x-semcache-entry-id': String(wrong.entryId) });
    expect(reported.feedback).toBe('recorded');
    expect(reported.status).toBe('miss');
    expect(reported.content).toContain('Answer to: How can I reset my password?');
    // The fresh answer is now the entry for this prompt; the original entry still serves its own.
    expect((await ask(stack, 'How can I reset my password?')).content).toBe(reported.content);
    expect((await ask(stack, 'How do I reset my password?')).content).toBe(stored.content);
  });

  it('ignores feedback on an entry of another tenant', async () => {
    const theirs = await ask(stack, 'What is the weather like on Mars?', {}, 'sk-other');
    const mine = await ask(stack, 'What is the weather like on Mars?', { 'x-semcache-feedback': 'wrong', 'x-semcache-entry-id': String(theirs.entryId) });
    expect(mine.feedback).toBe('ignored');
    expect((await ask(stack, 'What is the weather like on Mars?', {}, 'sk-other')).status).toBe('exact-hit');
  });
});

describe('shadow verification', () => {
  it('records agreement when the fresh answer matches and disagreement when the upstream changed its answer, and counts the spend', async () => {
    const pricing = JSON.stringify({ models: [{ model: 'sim-*', kind: 'api', inputPerMTok: 1, outputPerMTok: 2 }] });
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'semcache-shadow-'));
    await writeFile(join(dir, 'pricing.json'), pricing);
    const stack = await startStack({
      env: {
        SEMCACHE_LOG_LEVEL: 'silent',
        SEMCACHE_SHADOW_FRACTION: '1',
        SEMCACHE_SHADOW_AGREEMENT: '0.999',
        SEMCACHE_PRICING_FILE: join(dir, 'pricing.json'),
      },
      deps: { embedder },
    });
    try {
      // The simulated model answers every prompt of the topic alike, as an ideal model would.
      await ask(stack, 'How do I reset my password?', { 'x-sim-fault': 'topic=password-reset' });
      const upstreamBefore = stack.sim.stats.byPath['/v1/chat/completions'] ?? 0;
      expect((await ask(stack, 'How can I reset my password?', { 'x-sim-fault': 'topic=password-reset' })).status).toBe('semantic-hit');
      await expect
        .poll(async () => (await (await fetch(`${stack.origin}/metrics`)).text()).match(/semcache_shadow_checks_total\{result="agree"\} (\d+)/)?.[1], {
          timeout: 5000,
        })
        .toBe('1');
      expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(upstreamBefore + 1);
      expect((stack.sim.stats.lastBody as { stream?: boolean }).stream).toBe(false);

      // Now the model's answer has changed: the cached one no longer agrees.
      expect((await ask(stack, 'How can I reset my password?', { 'x-sim-fault': 'topic=password-reset,salt=retrained' })).status).toBe('semantic-hit');
      await expect
        .poll(async () => (await (await fetch(`${stack.origin}/metrics`)).text()).match(/semcache_shadow_checks_total\{result="disagree"\} (\d+)/)?.[1], {
          timeout: 5000,
        })
        .toBe('1');
      const metrics = await (await fetch(`${stack.origin}/metrics`)).text();
      expect(metrics).toMatch(/semcache_shadow_agreement_ratio 0\.5\b/);
      // Three upstream answers were paid for: the miss and the two shadow checks.
      const processed = [...metrics.matchAll(/semcache_tokens_processed_total\{model="sim-model",type="output"\} (\d+)/g)].map((m) => Number(m[1]));
      expect(processed).toEqual([3 * 48]);
    } finally {
      await stack.close();
    }
  });
});
