// Reads a Responses API request (POST /v1/responses) into what the simulator needs, and refuses
// malformed ones with 400 and OpenAI's messages. A `previous_response_id` must name a response this
// simulator stored, as at OpenAI: that is how a test proves an id served from the cache is one the
// upstream holds.
import { invalid, parseModel, type Parsed } from './request-parse.js';
import { estimateChatPromptTokens, estimateTextTokens, type CountableMessage } from './token-estimate.js';
import { simToolCall, type SimToolCall } from './tool-calls.js';

type Body = Record<string, unknown>;

export interface ResponsesRequest {
  body: Body;
  model: string;
  /** The last user message's text: what the answer is made for. */
  prompt: string;
  promptTokens: number;
  maxOutputTokens: number | undefined;
  stream: boolean;
  store: boolean;
  previousResponseId: string | null;
  toolCall: SimToolCall | undefined;
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message's text: a string, or its input_text / output_text parts joined by newlines. */
function itemText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  return content
    .filter((part): part is Body => isObject(part) && (part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

function readInput(input: unknown): Parsed<{ messages: CountableMessage[]; prompt: string }> {
  if (typeof input === 'string') return { ok: true, value: { messages: [{ role: 'user', text: input }], prompt: input } };
  if (input === undefined) return { ok: true, value: { messages: [], prompt: '' } };
  if (!Array.isArray(input)) return invalid(`Invalid type for 'input': expected a string or an array of input items.`, 'input', 'invalid_type');
  const messages: CountableMessage[] = [];
  let prompt = '';
  for (const [i, item] of input.entries()) {
    if (!isObject(item)) return invalid(`Invalid 'input[${i}]': expected an object.`, `input[${i}]`, 'invalid_type');
    const text = itemText(item.content);
    if (typeof item.role === 'string' && text !== undefined) {
      messages.push({ role: item.role, text });
      if (item.role === 'user') prompt = text;
    } else if (typeof item.output === 'string') {
      messages.push({ role: 'tool', text: item.output });
    }
  }
  return { ok: true, value: { messages, prompt } };
}

function optionalInt(body: Body, key: string): Parsed<number | undefined> {
  const value = body[key];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    return invalid(`Invalid '${key}': expected a positive integer.`, key, 'invalid_value');
  return { ok: true, value };
}

/** `stored`: the responses stored so far, by id; a follow-up carries the tokens of the one it continues. */
export function parseResponsesRequest(raw: unknown, stored: ReadonlyMap<string, Body>): Parsed<ResponsesRequest> {
  const base = parseModel(raw);
  if (!base.ok) return base;
  const { body, model } = base.value;
  const input = readInput(body.input);
  if (!input.ok) return input;
  const maxOutput = optionalInt(body, 'max_output_tokens');
  if (!maxOutput.ok) return maxOutput;
  const previous = body.previous_response_id;
  let carried = 0;
  if (previous !== undefined && previous !== null) {
    const earlier = typeof previous === 'string' ? stored.get(previous) : undefined;
    if (earlier === undefined) {
      return invalid(`Previous response with id '${String(previous)}' not found.`, 'previous_response_id', 'previous_response_not_found');
    }
    const usage = isObject(earlier.usage) ? earlier.usage : {};
    carried = typeof usage.total_tokens === 'number' ? usage.total_tokens : 0;
  }
  const instructions = typeof body.instructions === 'string' ? [{ role: 'system', text: body.instructions }] : [];
  const { messages, prompt } = input.value;
  return {
    ok: true,
    value: {
      body,
      model,
      prompt,
      promptTokens: carried + (messages.length + instructions.length === 0 ? estimateTextTokens('') : estimateChatPromptTokens([...instructions, ...messages])),
      maxOutputTokens: maxOutput.value,
      stream: body.stream === true,
      store: body.store !== false,
      previousResponseId: typeof previous === 'string' ? previous : null,
      toolCall: simToolCall(body, prompt),
    },
  };
}
