// The answer as the cache keeps it, independent of the form it arrived in: a non-streamed body or
// a stream of chunks become the same CachedCompletion, which can then be served either way. This
// file holds the chat and legacy completion forms; the Responses API's is in cached-response.ts.
import type { CachedResponse } from './cached-response.js';
import { isJsonObject, type JsonObject, type Usage } from './types.js';

/** The endpoints whose answers are choices (chat completions and legacy completions). */
export type ChoicesEndpoint = 'chat' | 'completion';

export interface CachedChoice {
  readonly index: number;
  readonly finishReason: string;
  /** Chat: the assistant message as the upstream gave it (content, tool_calls, refusal...). */
  readonly message?: JsonObject;
  /** Legacy completions: the text. */
  readonly text?: string;
}

export interface ChoicesCompletion {
  readonly endpoint: ChoicesEndpoint;
  readonly model: string;
  readonly systemFingerprint: string | null;
  readonly choices: readonly CachedChoice[];
  readonly usage: Usage | undefined;
}

export type CachedCompletion = ChoicesCompletion | CachedResponse;

/** The answer's token counts (input = the prompt's), when the upstream reported them. */
export function choicesTokens(completion: ChoicesCompletion): { input: number; output: number } | undefined {
  const usage = completion.usage;
  return usage === undefined ? undefined : { input: usage.prompt_tokens, output: usage.completion_tokens };
}

/** Only complete answers are stored: every choice finished, and not by the content filter. */
export function isStorableChoices(completion: ChoicesCompletion): boolean {
  return completion.choices.length > 0 && completion.choices.every((choice) => choice.finishReason !== '' && choice.finishReason !== 'content_filter');
}

function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function usageOf(value: unknown): Usage | undefined {
  if (!isJsonObject(value)) return undefined;
  const { prompt_tokens: input, completion_tokens: output } = value;
  // Counts that cannot be token counts are treated as absent (a negative one would make every hit
  // of the entry fail when its usage is counted).
  if (!isTokenCount(input) || !isTokenCount(output)) return undefined;
  return {
    ...value,
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: typeof value.total_tokens === 'number' ? value.total_tokens : input + output,
  };
}

/** A non-streamed response body; undefined when it is not a well-formed completion. */
export function completionFromBody(endpoint: ChoicesEndpoint, body: unknown): ChoicesCompletion | undefined {
  if (!isJsonObject(body) || !Array.isArray(body.choices) || typeof body.model !== 'string') return undefined;
  const choices: CachedChoice[] = [];
  for (const choice of body.choices) {
    if (!isJsonObject(choice) || typeof choice.index !== 'number') return undefined;
    const finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : '';
    if (endpoint === 'chat') {
      if (!isJsonObject(choice.message)) return undefined;
      choices.push({ index: choice.index, finishReason, message: choice.message });
    } else {
      if (typeof choice.text !== 'string') return undefined;
      choices.push({ index: choice.index, finishReason, text: choice.text });
    }
  }
  return {
    endpoint,
    model: body.model,
    systemFingerprint: typeof body.system_fingerprint === 'string' ? body.system_fingerprint : null,
    choices,
    usage: usageOf(body.usage),
  };
}

interface ToolCallParts {
  id?: string;
  type?: string;
  name: string;
  arguments: string;
}

interface ChoiceParts {
  role: string;
  content: string | null;
  refusal: string | null;
  text: string;
  toolCalls: Map<number, ToolCallParts>;
  finishReason: string;
}

export interface StreamAssembler<C extends CachedCompletion = CachedCompletion> {
  /** Whether an event must be parsed even when the answer is not assembled: it carries the usage,
   * or ends the stream. */
  mustParse(data: string): boolean;
  /** Adds one parsed event (the JSON of its `data:` lines). */
  add(chunk: JsonObject): void;
  /** Whether this chunk carries only usage (`choices: []`), as include_usage's last chunk does. */
  isUsageOnly(chunk: JsonObject): boolean;
  /** Whether the stream reached its end: `data: [DONE]` for chat and completions (`sawDone`), a
   * terminal response.* event for the Responses API. */
  isComplete(sawDone: boolean): boolean;
  finish(): C;
}

const CARRIES_USAGE = /"usage"\s*:\s*\{/;

function appendDelta(parts: ChoiceParts, delta: JsonObject): void {
  if (typeof delta.role === 'string') parts.role = delta.role;
  if (typeof delta.content === 'string') parts.content = (parts.content ?? '') + delta.content;
  if (typeof delta.refusal === 'string') parts.refusal = (parts.refusal ?? '') + delta.refusal;
  if (!Array.isArray(delta.tool_calls)) return;
  for (const call of delta.tool_calls) {
    if (!isJsonObject(call) || typeof call.index !== 'number') continue;
    const known = parts.toolCalls.get(call.index) ?? { name: '', arguments: '' };
    if (typeof call.id === 'string') known.id = call.id;
    if (typeof call.type === 'string') known.type = call.type;
    const fn = isJsonObject(call.function) ? call.function : {};
    if (typeof fn.name === 'string') known.name += fn.name;
    if (typeof fn.arguments === 'string') known.arguments += fn.arguments;
    parts.toolCalls.set(call.index, known);
  }
}

function messageOf(parts: ChoiceParts): JsonObject {
  const message: JsonObject = { role: parts.role, content: parts.content, refusal: parts.refusal };
  if (parts.toolCalls.size > 0) {
    message.tool_calls = [...parts.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ id: call.id, type: call.type ?? 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  return message;
}

export function createStreamAssembler(endpoint: ChoicesEndpoint): StreamAssembler<ChoicesCompletion> {
  const choices = new Map<number, ChoiceParts>();
  let model = '';
  let systemFingerprint: string | null = null;
  let usage: Usage | undefined;
  return {
    mustParse: (data) => CARRIES_USAGE.test(data),
    add(chunk) {
      if (typeof chunk.model === 'string' && model === '') model = chunk.model;
      if (typeof chunk.system_fingerprint === 'string') systemFingerprint = chunk.system_fingerprint;
      usage = usageOf(chunk.usage) ?? usage;
      if (!Array.isArray(chunk.choices)) return;
      for (const choice of chunk.choices) {
        if (!isJsonObject(choice) || typeof choice.index !== 'number') continue;
        const parts = choices.get(choice.index) ?? { role: 'assistant', content: null, refusal: null, text: '', toolCalls: new Map(), finishReason: '' };
        choices.set(choice.index, parts);
        if (typeof choice.finish_reason === 'string') parts.finishReason = choice.finish_reason;
        if (endpoint === 'chat' && isJsonObject(choice.delta)) appendDelta(parts, choice.delta);
        if (endpoint === 'completion' && typeof choice.text === 'string') parts.text += choice.text;
      }
    },
    isUsageOnly: (chunk) => Array.isArray(chunk.choices) && chunk.choices.length === 0 && isJsonObject(chunk.usage),
    isComplete: (sawDone) => sawDone,
    finish() {
      const done = [...choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, parts]): CachedChoice =>
          endpoint === 'chat'
            ? { index, finishReason: parts.finishReason, message: messageOf(parts) }
            : { index, finishReason: parts.finishReason, text: parts.text },
        );
      return { endpoint, model, systemFingerprint, choices: done, usage };
    },
  };
}
