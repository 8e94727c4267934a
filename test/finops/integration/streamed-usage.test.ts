// Streamed misses are counted from the upstream's usage chunk, whether or not the client asked for
// usage; a client that did not ask never sees a usage chunk. Through the official SDK's streams.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src/embed/embedder.js';
import { useEmbedder } from '../../helpers/shared-embedder.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { sum, type Sample } from '../metrics-fixtures.js';
import { ANSWER_TOKENS, promptTokens, scrape, T0, writePricingFile, type PricingFile } from './finops-stack.js';

const MODEL = 'api-model';
const PRICE = { inputPerMTok: 3, outputPerMTok: 15 };

let embedder: Embedder;
let stack: Stack;
let pricing: PricingFile;
let client: OpenAI;

interface Streamed {
  readonly content: string;
  readonly chunks: OpenAI.Chat.ChatCompletionChunk[];
  readonly status: string | null;
}

async function stream(question: string, includeUsage: boolean): Promise<Streamed> {
  const { data, response } = await client.chat.completions
    .create({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: question }],
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    })
    .withResponse();
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const chunk of data) chunks.push(chunk);
  return { content: chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), chunks, status: response.headers.get('x-semcache-status') };
}

/** Chunks that carry a usage object (OpenAI's last chunk when include_usage was asked for). */
const usageChunks = (s: Streamed): OpenAI.Chat.ChatCompletionChunk[] => s.chunks.filter((c) => c.usage !== null && c.usage !== undefined);

/** Sum of the samples of `name` whose labels include `labels` (0 when there is none yet). */
function count(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>>): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((total, s) => total + s.value, 0);
}

const tokens = (samples: readonly Sample[], name: string, type: 'input' | 'output'): number => count(samples, name, { model: MODEL, type });

const usd = (input: number, output: number): number => (input * PRICE.inputPerMTok + output * PRICE.outputPerMTok) / 1e6;

beforeAll(async () => {
  pricing = writePricingFile({ models: [{ model: MODEL, kind: 'api', ...PRICE }] });
  embedder = await useEmbedder();
  stack = await startStack({ env: { SEMCACHE_LOG_LEVEL: 'silent', SEMCACHE_PRICING_FILE: pricing.path }, deps: { embedder, now: () => T0 } });
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: 'sk-streams', maxRetries: 0 });
});
afterAll(async () => {
  await stack.close();
  await embedder.close();
  pricing.remove();
});

describe('streamed misses', () => {
  it('counts a streamed miss from the usage chunk the client asked for', async () => {
    const question = 'How do I rotate my API keys?';
    const before = await scrape(stack);

    const sent = await stream(question, true);
    const after = await scrape(stack);

    expect(sent.status).toBe('miss');
    expect(usageChunks(sent).map((c) => ({ choices: c.choices, usage: c.usage }))).toEqual([
      { choices: [], usage: { prompt_tokens: promptTokens(question), completion_tokens: ANSWER_TOKENS, total_tokens: promptTokens(question) + ANSWER_TOKENS } },
    ]);
    expect(tokens(after, 'semcache_tokens_processed_total', 'input') - tokens(before, 'semcache_tokens_processed_total', 'input')).toBe(promptTokens(question));
    expect(tokens(after, 'semcache_tokens_processed_total', 'output') - tokens(before, 'semcache_tokens_processed_total', 'output')).toBe(ANSWER_TOKENS);
    expect(sum(after, 'semcache_spend_usd_total') - sum(before, 'semcache_spend_usd_total')).toBeCloseTo(usd(promptTokens(question), ANSWER_TOKENS), 15);
  });

  it('asks the upstream for usage when the client did not, counts it, and never shows the client a usage chunk', async () => {
    const question = 'What does HTTP status 418 mean?';
    const before = await scrape(stack);

    const sent = await stream(question, false);
    const after = await scrape(stack);

    expect(sent.status).toBe('miss');
    expect(sent.content).toContain(`Answer to: ${question}`);
    expect(usageChunks(sent)).toEqual([]);
    expect(sent.chunks.filter((c) => c.choices.length === 0)).toEqual([]);
    expect(stack.sim.stats.lastBody).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true } });
    expect(tokens(after, 'semcache_tokens_processed_total', 'input') - tokens(before, 'semcache_tokens_processed_total', 'input')).toBe(promptTokens(question));
    expect(tokens(after, 'semcache_tokens_processed_total', 'output') - tokens(before, 'semcache_tokens_processed_total', 'output')).toBe(ANSWER_TOKENS);
    expect(sum(after, 'semcache_spend_usd_total') - sum(before, 'semcache_spend_usd_total')).toBeCloseTo(usd(promptTokens(question), ANSWER_TOKENS), 15);
    expect(
      count(after, 'semcache_requests_total', { model: MODEL, cache_status: 'miss' }) -
        count(before, 'semcache_requests_total', { model: MODEL, cache_status: 'miss' }),
    ).toBe(1);
  });

  it('stores the streamed miss whole and counts its streamed exact hit as saved, not processed', async () => {
    const question = 'How long is a TLS certificate valid?';
    const miss = await stream(question, false);
    const before = await scrape(stack);
    const upstreamCalls = stack.sim.stats.byPath['/v1/chat/completions'];

    const hit = await stream(question, false);
    const after = await scrape(stack);

    expect([miss.status, hit.status]).toEqual(['miss', 'exact-hit']);
    expect(hit.content).toBe(miss.content);
    expect(usageChunks(hit)).toEqual([]);
    expect(stack.sim.stats.byPath['/v1/chat/completions']).toBe(upstreamCalls);
    expect(tokens(after, 'semcache_tokens_saved_total', 'input') - tokens(before, 'semcache_tokens_saved_total', 'input')).toBe(promptTokens(question));
    expect(tokens(after, 'semcache_tokens_saved_total', 'output') - tokens(before, 'semcache_tokens_saved_total', 'output')).toBe(ANSWER_TOKENS);
    expect(sum(after, 'semcache_tokens_processed_total')).toBe(sum(before, 'semcache_tokens_processed_total'));
    expect(sum(after, 'semcache_saved_usd_total') - sum(before, 'semcache_saved_usd_total')).toBeCloseTo(usd(promptTokens(question), ANSWER_TOKENS), 15);
  });
});
