// One chat completion through the proxy (or straight to the upstream), with what the bench needs
// from the answer: the cache's headers, the answer text, the usage and the latency.
import { Agent, request } from 'undici';
import { RESPONSE_HEADER } from '../../semcache-headers.js';

export type CacheStatus = 'exact-hit' | 'semantic-hit' | 'miss' | 'bypass';

export interface CompletionResult {
  readonly statusCode: number;
  /** undefined when the answer did not come through semcache (direct calls). */
  readonly cacheStatus: CacheStatus | undefined;
  readonly similarity: number | undefined;
  /** On semantic hits: the similarity the hit was judged by, after the support guard's charge. */
  readonly supported: number | undefined;
  readonly guard: string | undefined;
  /** x-semcache-entry-id: the entry a hit came from, or the one a miss stored. */
  readonly entryId: number | undefined;
  readonly content: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly latencyMs: number;
}

export interface BenchClient {
  /** `baseUrl` as an OpenAI SDK is given it, e.g. http://127.0.0.1:8080/v1. */
  complete(baseUrl: string, prompt: string, headers?: Record<string, string>): Promise<CompletionResult>;
  close(): Promise<void>;
}

const CACHE_STATUSES: readonly string[] = ['exact-hit', 'semantic-hit', 'miss', 'bypass'];

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface ChatBody {
  choices?: Array<{ message?: { content?: unknown } }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

function entryIdOf(value: string | undefined): number | undefined {
  const id = value === undefined ? Number.NaN : Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function createBenchClient(options: { model: string; connections: number; apiKey?: string }): BenchClient {
  const agent = new Agent({ connections: options.connections, keepAliveTimeout: 10_000 });
  return {
    async complete(baseUrl, prompt, headers = {}) {
      const started = performance.now();
      const response = await request(`${baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey ?? 'semcache-bench'}`, ...headers },
        body: JSON.stringify({ model: options.model, messages: [{ role: 'user', content: prompt }] }),
      });
      const text = await response.body.text();
      const latencyMs = performance.now() - started;
      let body: ChatBody = {};
      try {
        body = JSON.parse(text) as ChatBody;
      } catch {
        // A non-JSON error page: the status code says enough.
      }
      const status = headerOf(response.headers, RESPONSE_HEADER.status);
      const similarity = headerOf(response.headers, RESPONSE_HEADER.similarity);
      const supported = headerOf(response.headers, RESPONSE_HEADER.supportedSimilarity);
      const content = body.choices?.[0]?.message?.content;
      return {
        statusCode: response.statusCode,
        cacheStatus: status !== undefined && CACHE_STATUSES.includes(status) ? (status as CacheStatus) : undefined,
        similarity: similarity === undefined ? undefined : Number(similarity),
        supported: supported === undefined ? undefined : Number(supported),
        guard: headerOf(response.headers, RESPONSE_HEADER.guard),
        entryId: entryIdOf(headerOf(response.headers, RESPONSE_HEADER.entryId)),
        content: typeof content === 'string' ? content : '',
        promptTokens: numberOr0(body.usage?.prompt_tokens),
        completionTokens: numberOr0(body.usage?.completion_tokens),
        latencyMs,
      };
    },
    close: () => agent.close(),
  };
}

export function isHit(status: CacheStatus | undefined): boolean {
  return status === 'exact-hit' || status === 'semantic-hit';
}
