// Serving a cached answer in the form the client asked for, with a fresh id and created time.
// Streams follow OpenAI's wire format: the same id on every chunk, the role first, the content in
// pieces, a chunk with the finish_reason, a usage chunk (choices: []) only when
// stream_options.include_usage asked for it, then `data: [DONE]`.
import { randomBytes } from 'node:crypto';
import type { JsonObject } from './types.js';
import type { CachedChoice, ChoicesCompletion } from './cached-completion.js';

export interface RenderOptions {
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
}

export function freshCompletionId(completion: ChoicesCompletion): string {
  const prefix = completion.endpoint === 'chat' ? 'chatcmpl' : 'cmpl';
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}

function envelope(completion: ChoicesCompletion, options: RenderOptions, streamed: boolean): JsonObject {
  const object = completion.endpoint === 'chat' ? (streamed ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion';
  return { id: options.id, object, created: options.created, model: completion.model, system_fingerprint: completion.systemFingerprint };
}

export function renderJson(completion: ChoicesCompletion, options: RenderOptions): JsonObject {
  const choices = completion.choices.map((choice) =>
    completion.endpoint === 'chat'
      ? { index: choice.index, message: choice.message, logprobs: null, finish_reason: choice.finishReason }
      : { text: choice.text, index: choice.index, logprobs: null, finish_reason: choice.finishReason },
  );
  return { ...envelope(completion, options, false), choices, usage: completion.usage };
}

/** Splits text into pieces of a few words, the way a model streams tokens. */
export function streamPieces(text: string, wordsPerPiece = 3): string[] {
  // Leading blanks join the first word. (One pattern with a leading \s* was retried at every blank
  // of an all-blank text: quadratic, seconds per streamed hit for a long run of newlines.)
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const words = text.slice(lead.length).match(/\S+\s*/g) ?? [];
  if (words.length > 0) words[0] = `${lead}${words[0]}`;
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerPiece) pieces.push(words.slice(i, i + wordsPerPiece).join(''));
  if (pieces.length === 0 && text !== '') pieces.push(text);
  return pieces;
}

function chatDeltas(choice: CachedChoice): JsonObject[] {
  const message = choice.message ?? {};
  const deltas: JsonObject[] = [{ role: typeof message.role === 'string' ? message.role : 'assistant', content: '' }];
  if (typeof message.content === 'string') for (const piece of streamPieces(message.content)) deltas.push({ content: piece });
  if (typeof message.refusal === 'string') deltas.push({ refusal: message.refusal });
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, index) => deltas.push({ tool_calls: [{ index, ...(call as JsonObject) }] }));
  }
  return deltas;
}

export function renderSse(completion: ChoicesCompletion, options: RenderOptions & { includeUsage: boolean }): string {
  // Every chunk shares the envelope's fields: serialised once, then each chunk is that prefix, its
  // own choices and the usage field. Same bytes as stringifying each whole chunk, in less than half
  // the time (a 3,000-token answer, 750 chunks: 1.3 ms instead of 3.1 ms).
  const head = JSON.stringify(envelope(completion, options, true)).slice(0, -1);
  const tail = options.includeUsage ? ',"usage":null}' : '}';
  const events: string[] = [];
  const emit = (choice: JsonObject): void => {
    events.push(`data: ${head},"choices":[${JSON.stringify(choice)}]${tail}\n\n`);
  };
  for (const choice of completion.choices) {
    if (completion.endpoint === 'chat') {
      for (const delta of chatDeltas(choice)) emit({ index: choice.index, delta, logprobs: null, finish_reason: null });
      emit({ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finishReason });
    } else {
      for (const piece of streamPieces(choice.text ?? '')) emit({ text: piece, index: choice.index, logprobs: null, finish_reason: null });
      emit({ text: '', index: choice.index, logprobs: null, finish_reason: choice.finishReason });
    }
  }
  if (options.includeUsage) events.push(`data: ${head},"choices":[],"usage":${JSON.stringify(completion.usage ?? null)}}\n\n`);
  events.push('data: [DONE]\n\n');
  return events.join('');
}
