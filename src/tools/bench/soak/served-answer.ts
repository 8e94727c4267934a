// Reading what a client got back, as a client would: the answer's text from a whole JSON body or
// from the SSE events of a stream (complete only with a finish reason and `data: [DONE]`), and
// whether an error body has OpenAI's shape.
import { createSseParser } from '../../../openai/sse-parser.js';

export interface ServedAnswer {
  /** The first choice's text (chat: message or delta content; legacy: text). */
  readonly content: string;
  readonly finishReason: string | undefined;
  /** A whole body that parsed, or a stream that reached `data: [DONE]`. */
  readonly complete: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function firstChoice(body: unknown): Json | undefined {
  if (!isObject(body) || !Array.isArray(body.choices)) return undefined;
  const choice = body.choices.find((c) => isObject(c) && c.index === 0);
  return isObject(choice) ? choice : undefined;
}

function textOf(choice: Json, streamed: boolean): string {
  if (typeof choice.text === 'string') return choice.text;
  const part = streamed ? choice.delta : choice.message;
  return isObject(part) && typeof part.content === 'string' ? part.content : '';
}

export function readWholeAnswer(body: string): ServedAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { content: '', finishReason: undefined, complete: false };
  }
  const choice = firstChoice(parsed);
  if (choice === undefined) return { content: '', finishReason: undefined, complete: false };
  return { content: textOf(choice, false), finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined, complete: true };
}

/** The events of an SSE body, joined into the answer they carry. */
export function readStreamedAnswer(body: string): ServedAnswer {
  const events = createSseParser().push(body);
  let content = '';
  let finishReason: string | undefined;
  let done = false;
  for (const event of events) {
    if (event.data === undefined) continue;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return { content, finishReason, complete: false };
    }
    const choice = firstChoice(chunk);
    if (choice === undefined) continue;
    content += textOf(choice, true);
    if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
  }
  return { content, finishReason, complete: done };
}

/** `{"error":{"message","type","param","code"}}` with all four keys, as OpenAI's SDKs expect. */
export function isOpenAIError(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (!isObject(parsed) || !isObject(parsed.error)) return false;
  const { message, type, param, code } = parsed.error;
  return (
    typeof message === 'string' &&
    typeof type === 'string' &&
    'param' in parsed.error &&
    'code' in parsed.error &&
    (param === null || typeof param === 'string') &&
    (code === null || typeof code === 'string')
  );
}
