// Validation of the cached routes' bodies, as OpenAI does it: a 400 naming the parameter. The
// model and the body's depth are checked here for every route; the Responses API's own fields in
// responses-request.ts.
import { SemcacheError } from '../errors.js';
import { isJsonObject, type ChatBody, type CompletionBody, type JsonObject } from './types.js';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function invalid(param: string, message: string): SemcacheError {
  return new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', message, { param });
}

function missing(param: string): SemcacheError {
  return new SemcacheError('SEMCACHE_ERR_REQUEST_MISSING_PARAM', `Missing required parameter: '${param}'.`, { param });
}

/** Deeper bodies are refused: hashing them recursively would exhaust the stack. */
const MAX_JSON_DEPTH = 64;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/**
 * True when brackets outside strings nest deeper than `max`, read from the bytes before parsing:
 * JSON.parse of 5 MB of `[` takes 2 s before a depth check on the parsed value could refuse it.
 * UTF-8 continuation bytes are never ASCII, so bytes can be read one by one.
 */
function nestsDeeperThan(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPENERS.has(byte)) {
      if (++depth > max) return true;
    } else if (CLOSERS.has(byte)) depth--;
  }
  return false;
}

export function parseJsonBody(raw: Buffer | undefined): JsonObject {
  if (raw === undefined || raw.length === 0) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_JSON', 'The request body is empty; expected a JSON object.');
  }
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_JSON', `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_JSON', `The request body is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  if (!isJsonObject(parsed)) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_JSON', 'The request body must be a JSON object.');
  }
  return parsed;
}

function checkContent(content: unknown, param: string, required: boolean): void {
  if (content === undefined || content === null) {
    if (required) throw missing(param);
    return;
  }
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(param, `Invalid type for '${param}': expected a string or an array of content parts.`);
  content.forEach((part, i) => {
    if (!isJsonObject(part) || typeof part.type !== 'string') {
      throw invalid(`${param}[${i}]`, `Invalid content part at '${param}[${i}]': expected an object with a 'type'.`);
    }
    if (part.type === 'text' && typeof part.text !== 'string') {
      throw invalid(`${param}[${i}].text`, `Invalid type for '${param}[${i}].text': expected a string.`);
    }
  });
}

function checkMessages(messages: unknown): void {
  if (messages === undefined) throw missing('messages');
  if (!Array.isArray(messages)) throw invalid('messages', "Invalid type for 'messages': expected an array of messages.");
  if (messages.length === 0) throw invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1.");
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    if (!isJsonObject(message)) throw invalid(param, `Invalid type for '${param}': expected an object.`);
    if (typeof message.role !== 'string') throw missing(`${param}.role`);
    if (!ROLES.has(message.role)) {
      throw invalid(`${param}.role`, `Invalid value for '${param}.role': '${message.role}'. Supported values are: ${[...ROLES].join(', ')}.`);
    }
    const hasToolCalls = Array.isArray(message.tool_calls) || isJsonObject(message.function_call);
    checkContent(message.content, `${param}.content`, message.role !== 'assistant' || !hasToolCalls);
  });
}

function checkPrompt(prompt: unknown): void {
  if (prompt === undefined) throw missing('prompt');
  const isTokens = (value: unknown): boolean => Array.isArray(value) && value.every((t) => Number.isInteger(t));
  const ok =
    typeof prompt === 'string' ||
    (Array.isArray(prompt) && prompt.length > 0 && (prompt.every((p) => typeof p === 'string') || isTokens(prompt) || prompt.every(isTokens)));
  if (!ok) throw invalid('prompt', "Invalid type for 'prompt': expected a string, an array of strings, or token arrays.");
}

function checkOptionalTypes(body: JsonObject): void {
  const numberParams = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty'];
  for (const name of numberParams) {
    if (body[name] !== undefined && body[name] !== null && typeof body[name] !== 'number') {
      throw invalid(name, `Invalid type for '${name}': expected a number.`);
    }
  }
  for (const name of ['n', 'max_tokens', 'max_completion_tokens', 'seed', 'top_logprobs']) {
    const value = body[name];
    if (value !== undefined && value !== null && !Number.isInteger(value)) throw invalid(name, `Invalid type for '${name}': expected an integer.`);
  }
  if (typeof body.n === 'number' && body.n < 1) throw invalid('n', "Invalid value for 'n': must be at least 1.");
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw invalid('stream', "Invalid type for 'stream': expected a boolean.");
  }
  if (body.stream_options !== undefined && body.stream_options !== null && !isJsonObject(body.stream_options)) {
    throw invalid('stream_options', "Invalid type for 'stream_options': expected an object.");
  }
}

export const MAX_MODEL_CHARS = 256;

export function validateModel(body: JsonObject): void {
  if (body.model === undefined) throw missing('model');
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model', "Invalid type for 'model': expected a non-empty string.");
  // Model ids are short; a long one is repeated in every streamed chunk, kept in cache entries and
  // offered as a metric label (a 1 MiB id would make each streamed hit 200 MiB).
  if (body.model.length > MAX_MODEL_CHARS) throw invalid('model', `Invalid value for 'model': longer than ${MAX_MODEL_CHARS} characters.`);
}

export function validateChatBody(body: JsonObject): ChatBody {
  checkOptionalTypes(body);
  checkMessages(body.messages);
  return body as ChatBody;
}

export function validateCompletionBody(body: JsonObject): CompletionBody {
  checkOptionalTypes(body);
  checkPrompt(body.prompt);
  return body as CompletionBody;
}
