// Reads a chat or legacy completion request body into what the simulator needs, and refuses
// malformed ones with 400 and OpenAI's messages, as the real servers do.

import { estimateChatPromptTokens, estimateTextTokens, type CountableMessage } from './token-estimate.js';
import { openAIError, type CompletionKind, type OpenAIError } from './openai-format.js';
import { simToolCall, type SimToolCall } from './tool-calls.js';

export const MAX_CHOICES = 128;

export interface GenerationRequest {
  kind: CompletionKind;
  model: string;
  /** What the answers are made for: chat = [last user message text]; legacy = one per prompt. */
  prompts: string[];
  promptTokens: number;
  n: number;
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  /** Chat: the tool the model calls instead of answering, when `tools` are given and the prompt
   * asks for one (tool-calls.ts). */
  toolCall: SimToolCall | undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: OpenAIError };

type Body = Record<string, unknown>;

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): OpenAIError {
  return openAIError(message, 'invalid_request_error', param, code);
}

export function invalid(message: string, param: string | null = null, code: string | null = null): Parsed<never> {
  return { ok: false, error: invalidRequest(message, param, code) };
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the fields every OpenAI POST body shares: a JSON object with a `model`. */
export function parseModel(body: unknown): Parsed<{ body: Body; model: string }> {
  if (!isObject(body)) return invalid('The request body must be a JSON object.');
  const model = body.model;
  if (model === undefined || model === null || model === '') return invalid('you must provide a model parameter');
  if (typeof model !== 'string') return invalid(`Invalid type for 'model': expected a string.`, 'model', 'invalid_type');
  return { ok: true, value: { body, model } };
}

function optionalPositiveInt(body: Body, key: string, max: number): Parsed<number | undefined> {
  const value = body[key];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    return invalid(`Invalid '${key}': expected an integer between 1 and ${max}, got ${JSON.stringify(value)}.`, key, 'invalid_value');
  }
  return { ok: true, value };
}

/** Multi-part content counts by its text parts, joined by newlines; images and audio are ignored. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (isObject(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

function parseMessages(body: Body): Parsed<{ lastUser: string; tokens: number }> {
  const messages = body.messages;
  if (messages === undefined) return invalid(`Missing required parameter: 'messages'.`, 'messages', 'missing_required_parameter');
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid(`Invalid 'messages': expected a non-empty array.`, 'messages', 'invalid_value');
  }
  const countable: CountableMessage[] = [];
  let lastUser = '';
  for (const [i, message] of messages.entries()) {
    const text = isObject(message) ? contentText(message.content) : undefined;
    if (!isObject(message) || typeof message.role !== 'string' || text === undefined) {
      return invalid(`Invalid 'messages[${i}]': expected an object with a string 'role' and a 'content'.`, `messages[${i}]`, 'invalid_value');
    }
    countable.push({ role: message.role, text, name: typeof message.name === 'string' ? message.name : undefined });
    if (message.role === 'user') lastUser = text;
  }
  return { ok: true, value: { lastUser, tokens: estimateChatPromptTokens(countable) } };
}

function parsePrompts(body: Body): Parsed<{ prompts: string[]; tokens: number }> {
  const prompt = body.prompt;
  if (prompt === undefined) return invalid(`Missing required parameter: 'prompt'.`, 'prompt', 'missing_required_parameter');
  const prompts = typeof prompt === 'string' ? [prompt] : prompt;
  if (!Array.isArray(prompts) || prompts.length === 0 || !prompts.every((p): p is string => typeof p === 'string')) {
    return invalid(`Invalid 'prompt': expected a string or a non-empty array of strings.`, 'prompt', 'invalid_type');
  }
  let tokens = 0;
  for (const p of prompts) tokens += estimateTextTokens(p);
  return { ok: true, value: { prompts, tokens } };
}

export function parseCompletionRequest(kind: CompletionKind, raw: unknown): Parsed<GenerationRequest> {
  const base = parseModel(raw);
  if (!base.ok) return base;
  const { body, model } = base.value;
  const n = optionalPositiveInt(body, 'n', MAX_CHOICES);
  if (!n.ok) return n;
  const maxCompletion = optionalPositiveInt(body, 'max_completion_tokens', Number.MAX_SAFE_INTEGER);
  if (!maxCompletion.ok) return maxCompletion;
  const maxTokens = optionalPositiveInt(body, 'max_tokens', Number.MAX_SAFE_INTEGER);
  if (!maxTokens.ok) return maxTokens;
  const stream = body.stream === true;
  const streamOptions = body.stream_options;
  const includeUsage = stream && isObject(streamOptions) && streamOptions.include_usage === true;
  const common = { kind, model, n: n.value ?? 1, maxTokens: maxCompletion.value ?? maxTokens.value, stream, includeUsage, toolCall: undefined };
  if (kind === 'chat') {
    const messages = parseMessages(body);
    if (!messages.ok) return messages;
    const { lastUser, tokens } = messages.value;
    return { ok: true, value: { ...common, prompts: [lastUser], promptTokens: tokens, toolCall: simToolCall(body, lastUser) } };
  }
  const prompts = parsePrompts(body);
  if (!prompts.ok) return prompts;
  return { ok: true, value: { ...common, prompts: prompts.value.prompts, promptTokens: prompts.value.tokens } };
}
