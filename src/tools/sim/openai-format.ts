// OpenAI's response shapes (chat.completion, text_completion, their stream chunks, errors), as the
// official API sends them. Stream chunks are built from per-request string templates because the
// bench pushes thousands of streamed requests a second through here: only the piece is stringified.

import type { FinishReason } from './answer-text.js';

export const SYSTEM_FINGERPRINT = 'fp_sim';

export type CompletionKind = 'chat' | 'text';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChoiceResult {
  index: number;
  text: string;
  /** The answer's tokens: its text, or a tool call's arguments. */
  pieces: readonly string[];
  finishReason: FinishReason;
  /** Set when the choice calls a tool instead of answering (chat only). */
  toolCall?: { id: string; name: string; arguments: string } | undefined;
}

export interface CompletionMeta {
  kind: CompletionKind;
  id: string;
  created: number;
  model: string;
}

export interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(message: string, type: string, param: string | null = null, code: string | null = null): OpenAIError {
  return { error: { message, type, param, code } };
}

export function usageOf(promptTokens: number, choices: readonly ChoiceResult[]): Usage {
  let completion = 0;
  for (const choice of choices) completion += choice.pieces.length;
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}

export function completionBody(meta: CompletionMeta, choices: readonly ChoiceResult[], usage: Usage): object {
  const base = { id: meta.id, created: meta.created, model: meta.model, system_fingerprint: SYSTEM_FINGERPRINT };
  if (meta.kind === 'chat') {
    return {
      ...base,
      object: 'chat.completion',
      choices: choices.map((c) => ({
        index: c.index,
        message:
          c.toolCall === undefined
            ? { role: 'assistant', content: c.text, refusal: null }
            : {
                role: 'assistant',
                content: null,
                refusal: null,
                tool_calls: [{ id: c.toolCall.id, type: 'function', function: { name: c.toolCall.name, arguments: c.toolCall.arguments } }],
              },
        logprobs: null,
        finish_reason: c.finishReason,
      })),
      usage,
    };
  }
  return {
    ...base,
    object: 'text_completion',
    choices: choices.map((c) => ({ text: c.text, index: c.index, logprobs: null, finish_reason: c.finishReason })),
    usage,
  };
}

/** Builds the `data:` payloads of one streamed response. */
export interface ChunkEncoder {
  /** Chat only: the first delta of a choice, `{role:"assistant", content:""}`, or with a tool
   * call's id and name (and content null). */
  role(index: number, toolCall?: ChoiceResult['toolCall']): string;
  content(index: number, piece: string): string;
  /** Chat only: a piece of a tool call's arguments. */
  toolArguments(index: number, piece: string): string;
  finish(index: number, reason: FinishReason): string;
  /** The last chunk when `stream_options.include_usage`: no choices, the usage. */
  usage(usage: Usage): string;
}

export function createChunkEncoder(meta: CompletionMeta, includeUsage: boolean): ChunkEncoder {
  const object = meta.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const head =
    `{"id":${JSON.stringify(meta.id)},"object":"${object}","created":${meta.created},` +
    `"model":${JSON.stringify(meta.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[`;
  // OpenAI sends `usage: null` on every chunk but the last when the client asked for usage.
  const tail = includeUsage ? '],"usage":null}' : ']}';
  const chat = meta.kind === 'chat';
  return {
    role: (index, toolCall) =>
      toolCall === undefined
        ? `${head}{"index":${index},"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}${tail}`
        : `${head}{"index":${index},"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":${JSON.stringify(toolCall.id)},"type":"function","function":{"name":${JSON.stringify(toolCall.name)},"arguments":""}}]},"logprobs":null,"finish_reason":null}${tail}`,
    toolArguments: (index, piece) =>
      `${head}{"index":${index},"delta":{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(piece)}}}]},"logprobs":null,"finish_reason":null}${tail}`,
    content: (index, piece) =>
      chat
        ? `${head}{"index":${index},"delta":{"content":${JSON.stringify(piece)}},"logprobs":null,"finish_reason":null}${tail}`
        : `${head}{"text":${JSON.stringify(piece)},"index":${index},"logprobs":null,"finish_reason":null}${tail}`,
    finish: (index, reason) =>
      chat
        ? `${head}{"index":${index},"delta":{},"logprobs":null,"finish_reason":"${reason}"}${tail}`
        : `${head}{"text":"","index":${index},"logprobs":null,"finish_reason":"${reason}"}${tail}`,
    usage: (usage) => `${head}],"usage":${JSON.stringify(usage)}}`,
  };
}
