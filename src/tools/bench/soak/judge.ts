// Every answer the soak gets is judged against what it should be, given what was done to the
// request on purpose: an injected fault or a bad input has its expected error (a client error, by
// cause); anything else must be a whole answer, and the right one. A 200 whose answer is not whole
// is a partial answer served; any other surprise is an unexpected error, with its cause.
import type { AnswerBook } from './answer-book.js';
import { isOpenAIError, readStreamedAnswer, readWholeAnswer } from './served-answer.js';

/** What the soak did to a request on purpose, and so what it expects back. */
export type Expectation =
  | { readonly kind: 'answer' }
  | { readonly kind: 'upstream-error'; readonly status: number }
  | { readonly kind: 'upstream-timeout' }
  | { readonly kind: 'upstream-cut' }
  | { readonly kind: 'upstream-reset' }
  | { readonly kind: 'client-abort' }
  | { readonly kind: 'bad-body' }
  | { readonly kind: 'key-refused' };

/** The expected errors, reported as `clientErrors` by cause. */
export const CLIENT_ERROR_CAUSES = ['upstreamError', 'upstreamTimeout', 'upstreamCut', 'upstreamReset', 'clientAbort', 'badBody', 'keyRefused'] as const;
export type ClientErrorCause = (typeof CLIENT_ERROR_CAUSES)[number];

export interface Observation {
  /** 0 when no response came at all. */
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as received, whole or as far as it got. */
  readonly body: string;
  /** `end`: the body ended as HTTP says it should; `cut`: the connection broke mid-answer;
   * `aborted`: the soak itself went away; `none`: no response (the error says why). */
  readonly ending: 'end' | 'cut' | 'aborted' | 'none';
  readonly error?: string | undefined;
}

export interface Asked {
  readonly prompt: string | undefined;
  readonly stream: boolean;
  readonly expect: Expectation;
  /** Whether the answer may come from another prompt's entry (the same group): a paraphrase. */
  readonly sameGroup: (prompt: string) => boolean;
}

export type Judgement =
  | { readonly outcome: 'answered'; readonly cacheStatus: string; readonly wrongHit: boolean }
  | { readonly outcome: 'client-error'; readonly cause: ClientErrorCause }
  | { readonly outcome: 'partial'; readonly detail: string }
  | { readonly outcome: 'unexpected'; readonly cause: string; readonly detail: string };

const HITS = new Set(['exact-hit', 'semantic-hit']);

function unexpected(cause: string, seen: Observation): Judgement {
  const detail = `status ${seen.statusCode}, ${seen.ending}${seen.error === undefined ? '' : ` (${seen.error})`}: ${seen.body.slice(0, 160)}`;
  return { outcome: 'unexpected', cause, detail };
}

/** A 200: the whole answer to the prompt asked (a miss or bypass), or to a prompt sent before (a
 * hit, whose body must be exactly what the upstream sent for the prompt it was stored from). */
function judgeAnswer(asked: Asked, seen: Observation, book: AnswerBook): Judgement {
  const answer = asked.stream ? readStreamedAnswer(seen.body) : readWholeAnswer(seen.body);
  const cacheStatus = seen.headers['x-semcache-status'] ?? 'none';
  if (!answer.complete) {
    // A stream that stopped without [DONE]: the client can tell it is not whole.
    if (asked.stream && seen.ending === 'cut') return unexpected('streamCut', seen);
    return { outcome: 'partial', detail: `${cacheStatus}: an answer that looks complete is not (${seen.body.slice(-80)})` };
  }
  const traced = book.trace(answer.content);
  if (traced.kind === 'partial') return { outcome: 'partial', detail: `${cacheStatus}: the beginning of the answer to ${JSON.stringify(traced.prompt)}` };
  if (traced.kind === 'foreign') return unexpected('foreignAnswer', seen);
  if (answer.finishReason !== 'stop') return unexpected('finishReason', seen);
  if (!HITS.has(cacheStatus)) {
    // The upstream answered this request: it must be the answer to this prompt.
    return traced.prompt === asked.prompt ? { outcome: 'answered', cacheStatus, wrongHit: false } : unexpected('answerOfAnotherPrompt', seen);
  }
  return { outcome: 'answered', cacheStatus, wrongHit: asked.prompt === undefined || !asked.sameGroup(traced.prompt) };
}

function expectedError(asked: Asked, seen: Observation): ClientErrorCause | undefined {
  const { expect } = asked;
  const shaped = isOpenAIError(seen.body);
  switch (expect.kind) {
    case 'upstream-error':
      return seen.statusCode === expect.status && shaped ? 'upstreamError' : undefined;
    case 'upstream-timeout':
      return seen.statusCode === 504 && shaped ? 'upstreamTimeout' : undefined;
    case 'upstream-reset':
      return seen.statusCode === 502 && shaped ? 'upstreamReset' : undefined;
    case 'upstream-cut':
      // A whole body cut: 502 before any header went out. A stream cut: it stops without [DONE].
      if (seen.statusCode === 502 && shaped) return 'upstreamCut';
      return asked.stream && seen.statusCode === 200 && !readStreamedAnswer(seen.body).complete ? 'upstreamCut' : undefined;
    case 'client-abort':
      return seen.ending === 'aborted' ? 'clientAbort' : undefined;
    case 'bad-body':
      return seen.statusCode >= 400 && seen.statusCode < 500 && shaped ? 'badBody' : undefined;
    case 'key-refused':
      return (seen.statusCode === 401 || seen.statusCode === 403) && shaped ? 'keyRefused' : undefined;
    case 'answer':
      return undefined;
  }
}

export function judge(asked: Asked, seen: Observation, book: AnswerBook): Judgement {
  const cause = expectedError(asked, seen);
  if (cause !== undefined) return { outcome: 'client-error', cause };
  if (seen.ending === 'none') return unexpected('noResponse', seen);
  if (seen.statusCode === 200) {
    // A refused key must never get an answer, from the cache or elsewhere.
    if (asked.expect.kind === 'key-refused') return unexpected('refusedKeyAnswered', seen);
    return judgeAnswer(asked, seen, book);
  }
  if (seen.statusCode >= 400 && !isOpenAIError(seen.body)) return unexpected('errorNotInOpenAIShape', seen);
  return unexpected(`status${seen.statusCode}`, seen);
}
