// One chat completion (or Responses API request) through the proxy, or straight to the upstream,
// with what the bench needs from the answer: the cache's headers, the answer text, the usage and the
// latency.
import { Agent, request } from 'undici';
import { RESPONSE_HEADER } from '../../semcache-headers.js';

export type CacheStatus = 'exact-hit' | 'semantic-hit' | 'miss' | 'bypass';

/** Which API a request uses: chat completions, or the Responses API. */
export type BenchApi = 'chat' | 'responses';

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
  complete(baseUrl: string, prompt: string, headers?: Record<string, string>, api?: BenchApi): Promise<CompletionResult>;
  close(): Promise<void>;
}

const CACHE_STATUSES: readonly string[] = ['exact-hit', 'semantic-hit', 'miss', 'bypass'];

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface AnswerBody {
  choices?: Array<{ message?: { content?: unknown } }>;
  output?: Array<{ content?: Array<{ text?: unknown }> }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; input_tokens?: unknown; output_tokens?: unknown };
}

const REQUESTS: Readonly<Record<BenchApi, { path: string; body: (model: string, prompt: string) => object }>> = {
  chat: { path: '/chat/completions', body: (model, prompt) => ({ model, messages: [{ role: 'user', content: prompt }] }) },
  responses: { path: '/responses', body: (model, prompt) => ({ model, input: prompt }) },
};

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
    async complete(baseUrl, prompt, headers = {}, api = 'chat') {
      const started = performance.now();
      const response = await request(`${baseUrl.replace(/\/$/, '')}${REQUESTS[api].path}`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey ?? 'semcache-bench'}`, ...headers },
        body: JSON.stringify(REQUESTS[api].body(options.model, prompt)),
      });
      const text = await response.body.text();
      const latencyMs = performance.now() - started;
      let body: AnswerBody = {};
      try {
        body = JSON.parse(text) as AnswerBody;
      } catch {
        // A non-JSON error page: the status code says enough.
      }
      const status = headerOf(response.headers, RESPONSE_HEADER.status);
      const similarity = headerOf(response.headers, RESPONSE_HEADER.similarity);
      const supported = headerOf(response.headers, RESPONSE_HEADER.supportedSimilarity);
      const content = api === 'chat' ? body.choices?.[0]?.message?.content : body.output?.[0]?.content?.[0]?.text;
      return {
        statusCode: response.statusCode,
        cacheStatus: status !== undefined && CACHE_STATUSES.includes(status) ? (status as CacheStatus) : undefined,
        similarity: similarity === undefined ? undefined : Number(similarity),
        supported: supported === undefined ? undefined : Number(supported),
        guard: headerOf(response.headers, RESPONSE_HEADER.guard),
        entryId: entryIdOf(headerOf(response.headers, RESPONSE_HEADER.entryId)),
        content: typeof content === 'string' ? content : '',
        promptTokens: numberOr0(api === 'chat' ? body.usage?.prompt_tokens : body.usage?.input_tokens),
        completionTokens: numberOr0(api === 'chat' ? body.usage?.completion_tokens : body.usage?.output_tokens),
        latencyMs,
      };
    },
    close: () => agent.close(),
  };
}

export function isHit(status: CacheStatus | undefined): boolean {
  return status === 'exact-hit' || status === 'semantic-hit';
}
