// What a soak sends, request by request: a weighted mix of ordinary traffic (chat and legacy
// completions, streamed or not, repeats, paraphrases and new prompts; in the caller's own tenant,
// in a shared namespace, from a first-seen key), upstream faults asked of the simulator with
// `x-sim-fault` (errors, stalls past the proxy's timeout, cut answers, resets, slow first bytes),
// a refused key, and client misbehaviour (aborts mid-stream, bad bodies, headers sent slowly, a
// long stream read slowly). Each request says what the soak expects back.
import { FAULT_HEADER } from '../../sim/fault-header.js';
import type { Prng } from '../../sim/prng.js';
import type { AnswerBook } from './answer-book.js';
import { badBody } from './bad-bodies.js';
import type { Expectation } from './judge.js';
import type { SoakPrompts } from './soak-prompts.js';

export const SOAK_MIX = {
  chat: 22,
  'chat-stream': 16,
  completion: 8,
  'completion-stream': 6,
  'shared-namespace': 5,
  'first-seen-key': 1,
  'refused-key': 2,
  'upstream-error': 4,
  'upstream-timeout': 2,
  'upstream-cut': 4,
  'upstream-reset': 2,
  'slow-first-byte': 3,
  'client-abort': 4,
  'bad-body': 8,
  'slow-headers': 2,
  'slow-read': 2,
} as const;

export type SoakKind = keyof typeof SOAK_MIX;
export const SOAK_KINDS = Object.keys(SOAK_MIX) as SoakKind[];

export const MAIN_KEY = 'sk-soak-main';
export const REFUSED_KEY = 'sk-soak-refused';
export const SHARED_NAMESPACE = 'soak-shared';
/** The simulator's default answer length, and the length of the long answers read slowly. */
export const ANSWER_TOKENS = 48;
export const LONG_ANSWER_TOKENS = 3_000;
const LONG_PROMPTS = 16;

/** How the request is sent and read. */
export type Delivery = 'normal' | 'abort' | 'slow-headers' | 'slow-read';

export interface PlannedRequest {
  readonly kind: SoakKind;
  readonly path: string;
  readonly stream: boolean;
  /** undefined for bad bodies. */
  readonly prompt: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly expect: Expectation;
  readonly delivery: Delivery;
}

export interface PlanSettings {
  readonly model: string;
  /** The proxy's SEMCACHE_UPSTREAM_TIMEOUT_MS: stalls go past it, slow first bytes stay under it. */
  readonly upstreamTimeoutMs: number;
  readonly bodyLimitBytes: number;
}

const PATHS = { chat: '/v1/chat/completions', completion: '/v1/completions' } as const;

function pick<T>(next: Prng, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] ?? items[0]!;
}

export function drawKind(next: Prng): SoakKind {
  const total = SOAK_KINDS.reduce((sum, kind) => sum + SOAK_MIX[kind], 0);
  let u = next() * total;
  for (const kind of SOAK_KINDS) {
    u -= SOAK_MIX[kind];
    if (u < 0) return kind;
  }
  return 'chat';
}

export function createSoakPlan(settings: PlanSettings, prompts: SoakPrompts, book: AnswerBook, next: Prng) {
  let firstSeen = 0;

  const request = (
    kind: SoakKind,
    endpoint: 'chat' | 'completion',
    stream: boolean,
    prompt: string,
    extra: { headers?: Record<string, string>; expect?: Expectation; delivery?: Delivery; tokens?: number } = {},
  ): PlannedRequest => {
    book.add(prompt, extra.tokens ?? ANSWER_TOKENS);
    const body = endpoint === 'chat' ? { model: settings.model, messages: [{ role: 'user', content: prompt }] } : { model: settings.model, prompt };
    return {
      kind,
      path: PATHS[endpoint],
      stream,
      prompt,
      headers: { authorization: `Bearer ${MAIN_KEY}`, 'content-type': 'application/json', ...extra.headers },
      body: Buffer.from(JSON.stringify(stream ? { ...body, stream: true } : body)),
      expect: extra.expect ?? { kind: 'answer' },
      delivery: extra.delivery ?? 'normal',
    };
  };

  /** A repeat, a paraphrase or a new prompt, as ordinary traffic has them. */
  const ordinary = (): string => {
    const u = next();
    return u < 0.45 ? prompts.repeat() : u < 0.65 ? prompts.paraphrase() : prompts.fresh();
  };
  const endpoint = (): 'chat' | 'completion' => (next() < 0.7 ? 'chat' : 'completion');
  /** Faults are asked with prompts never sent, so that the request reaches the upstream. */
  const fault = (kind: SoakKind, header: string, expect: Expectation, stream = next() < 0.5): PlannedRequest =>
    request(kind, endpoint(), stream, prompts.fresh(), { headers: { [FAULT_HEADER]: header }, expect });
  const shared = { 'x-semcache-namespace': SHARED_NAMESPACE };

  return (kind: SoakKind): PlannedRequest => {
    switch (kind) {
      case 'chat':
      case 'chat-stream':
      case 'completion':
      case 'completion-stream':
        return request(kind, kind.startsWith('chat') ? 'chat' : 'completion', kind.endsWith('stream'), ordinary());
      case 'shared-namespace':
        return request(kind, endpoint(), next() < 0.5, ordinary(), { headers: shared });
      case 'first-seen-key':
        return request(kind, 'chat', false, prompts.repeat(), { headers: { ...shared, authorization: `Bearer sk-soak-new-${firstSeen++}` } });
      case 'refused-key':
        return request(kind, 'chat', next() < 0.5, prompts.repeat(), {
          headers: { ...shared, authorization: `Bearer ${REFUSED_KEY}` },
          expect: { kind: 'key-refused' },
        });
      case 'upstream-error': {
        const status = pick(next, [500, 503, 429]);
        return fault(kind, `error=${status}`, { kind: 'upstream-error', status });
      }
      case 'upstream-timeout':
        return fault(kind, `stall=${settings.upstreamTimeoutMs + 1_000}`, { kind: 'upstream-timeout' });
      case 'upstream-cut':
        return fault(kind, 'cut=3', { kind: 'upstream-cut' });
      case 'upstream-reset':
        return fault(kind, 'reset', { kind: 'upstream-reset' });
      case 'slow-first-byte':
        return fault(kind, `ttft=${Math.round(settings.upstreamTimeoutMs / 2)}`, { kind: 'answer' });
      case 'client-abort':
        // 40 tokens a second: the stream lasts about a second, and is dropped after its first chunk.
        return request(kind, endpoint(), true, prompts.fresh(), { headers: { [FAULT_HEADER]: 'tps=40' }, expect: { kind: 'client-abort' }, delivery: 'abort' });
      case 'bad-body': {
        const bad = badBody(next, settings.bodyLimitBytes);
        return {
          kind,
          path: PATHS[bad.endpoint],
          stream: false,
          prompt: undefined,
          headers: { authorization: `Bearer ${MAIN_KEY}`, 'content-type': bad.contentType },
          body: bad.body,
          expect: { kind: 'bad-body' },
          delivery: 'normal',
        };
      }
      case 'slow-headers':
        return request(kind, endpoint(), false, ordinary(), { delivery: 'slow-headers' });
      case 'slow-read': {
        const long = `Long answer ${Math.floor(next() * LONG_PROMPTS)}: explain ${pick(next, ['caching', 'indexing', 'routing', 'pooling'])} in depth`;
        return request(kind, endpoint(), true, long, {
          headers: { [FAULT_HEADER]: `tokens=${LONG_ANSWER_TOKENS}` },
          tokens: LONG_ANSWER_TOKENS,
          delivery: 'slow-read',
        });
      }
    }
  };
}
