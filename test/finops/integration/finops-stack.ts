// What the FinOps integration tests share: a pricing file in a temp folder, a scrape of /metrics,
// one chat request through the official SDK with the semcache headers, and the simulator's token
// counts predicted from src/tools/sim/token-estimate.ts, and a webhook receiver on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { estimateChatPromptTokens } from '../../../src/tools/sim/token-estimate.js';
import type { Stack } from '../../helpers/stack.js';
import { parsePrometheus, type Sample } from '../metrics-fixtures.js';

/** The simulator's default answer length (DEFAULT_SIM_OPTIONS.answerTokens): completion tokens of every answer. */
export const ANSWER_TOKENS = 48;

/** A bucket boundary of the default 3600 s window (60 s buckets), so window arithmetic is exact. */
export const T0 = 1_200_000_000;

export interface PricingFile {
  readonly path: string;
  remove(): void;
}

/** Writes the pricing document as JSON to a fresh temp folder. */
export function writePricingFile(document: unknown): PricingFile {
  const dir = mkdtempSync(join(tmpdir(), 'semcache-pricing-'));
  const path = join(dir, 'pricing.json');
  writeFileSync(path, JSON.stringify(document));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function scrape(stack: Stack): Promise<Sample[]> {
  const response = await fetch(`${stack.origin}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parsePrometheus(await response.text());
}

/** Prompt tokens the simulator reports for one user message. */
export function promptTokens(question: string): number {
  return estimateChatPromptTokens([{ role: 'user', text: question }]);
}

export interface Ask {
  readonly model: string;
  readonly question: string;
  /** Sent as `Authorization: Bearer <apiKey>` instead of the client's own key. */
  readonly apiKey?: string;
  readonly useCase?: string;
  readonly priority?: string;
  readonly bypass?: boolean;
  readonly maxTokens?: number;
}

export interface Answer {
  readonly content: string;
  readonly model: string;
  readonly usage: { prompt_tokens: number; completion_tokens: number } | undefined;
  readonly status: string | null;
  readonly route: string | null;
}

function semcacheHeaders(ask: Ask): Record<string, string> {
  const headers: Record<string, string> = {};
  if (ask.apiKey !== undefined) headers['authorization'] = `Bearer ${ask.apiKey}`;
  if (ask.useCase !== undefined) headers['x-semcache-use-case'] = ask.useCase;
  if (ask.priority !== undefined) headers['x-semcache-priority'] = ask.priority;
  if (ask.bypass === true) headers['x-semcache-bypass'] = '1';
  return headers;
}

/** One non-streamed chat completion through the SDK. */
export async function ask(client: OpenAI, request: Ask): Promise<Answer> {
  const { data, response } = await client.chat.completions
    .create(
      {
        model: request.model,
        messages: [{ role: 'user', content: request.question }],
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      },
      { headers: semcacheHeaders(request) },
    )
    .withResponse();
  return {
    content: data.choices[0]?.message.content ?? '',
    model: data.model,
    usage: data.usage === undefined ? undefined : { prompt_tokens: data.usage.prompt_tokens, completion_tokens: data.usage.completion_tokens },
    status: response.headers.get('x-semcache-status'),
    route: response.headers.get('x-semcache-route'),
  };
}

/** The samples of one metric, as `labels → value` with the labels listed in `keys` joined by `|`. */
export function series(samples: readonly Sample[], name: string, keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sample of samples) {
    if (sample.name !== name) continue;
    out[keys.map((k) => sample.labels[k] ?? '').join('|')] = sample.value;
  }
  return out;
}

/** Each value to 10 significant digits, so that USD sums computed in another order compare equal
 * (and a failing comparison shows a readable diff). */
export function rounded(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Number(v.toPrecision(10))]));
}

export { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
