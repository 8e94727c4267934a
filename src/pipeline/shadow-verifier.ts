// Shadow verification (off by default): a fraction of semantic hits is also sent upstream in the
// background, and the cached answer is compared with the fresh one (the same text, or answers whose
// embeddings agree), so an operator sees the real precision of the cache in production. The fresh
// answer's tokens are real spend and are counted as such; nothing the client sees changes.
import type { FastifyBaseLogger } from 'fastify';
import type { Embedder } from '../embed/embedder.js';
import { cosine } from '../embed/unit-vector.js';
import { callUpstream } from '../upstream/forward.js';
import type { HeaderMap } from '../upstream/hop-by-hop.js';
import type { JsonObject } from '../openai/types.js';
import type { Upstream } from '../upstream/upstream.js';
import type { TokenCounts } from '../finops/request-record.js';
import type { CachedCompletion } from '../openai/cached-completion.js';
import { usageTokens, wireFormatOf } from '../openai/wire-formats.js';

export type ShadowResult = 'agree' | 'disagree' | 'error';

export interface ShadowCheck {
  readonly path: string;
  readonly headers: HeaderMap;
  readonly body: JsonObject;
  readonly endpoint: CachedCompletion['endpoint'];
  readonly cached: CachedCompletion;
  readonly onResult: (result: ShadowResult, processed: TokenCounts | undefined) => void;
}

export interface ShadowVerifierOptions {
  readonly fraction: number;
  /** Cosine similarity of the two answers' embeddings at which they agree. */
  readonly agreement: number;
  readonly maxInFlight: number;
  readonly upstream: Upstream;
  readonly embedder: Embedder;
  readonly logger: FastifyBaseLogger;
  readonly random?: () => number;
}

export interface ShadowVerifier {
  /** Starts a check for this hit if the dice say so; never waits, never throws. */
  maybeVerify(check: ShadowCheck): void;
  /** Resolves when every check in flight has ended (for shutdown and tests). */
  settled(): Promise<void>;
}

function answerText(completion: CachedCompletion): string {
  return wireFormatOf(completion.endpoint).answerText(completion);
}

export function createShadowVerifier(options: ShadowVerifierOptions): ShadowVerifier {
  const random = options.random ?? Math.random;
  const running = new Set<Promise<void>>();

  async function verify(check: ShadowCheck): Promise<void> {
    let fresh: CachedCompletion | undefined;
    try {
      // Always asked whole: the comparison needs the full answer, and a stream would only add work.
      const body = wireFormatOf(check.endpoint).wholeRequest(check.body);
      const response = await callUpstream(options.upstream, {
        method: 'POST',
        path: check.path,
        headers: check.headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.upstream.timeoutMs),
      });
      const text = await response.body.text();
      fresh = response.statusCode === 200 ? wireFormatOf(check.endpoint).fromBody(JSON.parse(text)) : undefined;
    } catch (error) {
      options.logger.warn({ err: error }, 'shadow verification failed');
    }
    if (fresh === undefined) {
      check.onResult('error', undefined);
      return;
    }
    const processed = usageTokens(fresh);
    const [cachedText, freshText] = [answerText(check.cached), answerText(fresh)];
    if (cachedText === freshText) {
      check.onResult('agree', processed);
      return;
    }
    const [a, b] = await options.embedder.embed([cachedText, freshText]);
    const similar = a !== undefined && b !== undefined && cosine(a, b) >= options.agreement;
    check.onResult(similar ? 'agree' : 'disagree', processed);
  }

  return {
    maybeVerify(check) {
      if (options.fraction <= 0 || running.size >= options.maxInFlight || random() >= options.fraction) return;
      const task = verify(check).catch((error: unknown) => options.logger.error({ err: error }, 'shadow verification crashed'));
      running.add(task);
      void task.finally(() => running.delete(task));
    },
    async settled() {
      await Promise.all([...running]);
    },
  };
}
