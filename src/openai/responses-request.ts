// A Responses API request (POST /v1/responses): validated as OpenAI does it (a 400 naming the
// parameter), and split into what is matched by meaning and what must match exactly.
//
// Matched by meaning: `input` when it is a string, or the `input_text` parts of the last input item
// when it is the user's message. Exact context: `instructions`, every earlier input item, `tools`,
// `tool_choice`, `text` (its format), `reasoning`, `model`, sampling parameters, `max_output_tokens`,
// `include`, `previous_response_id` (a follow-up never matches across conversations), unknown
// fields, and whether the response is stored (`store`, true by default): a hit serves the stored
// response's own id, which the upstream holds only when it stored it.
import { SemcacheError } from '../errors.js';
import { answerParams, logprobsAsked, type PromptParts } from './prompt-parts.js';
import { isJsonObject, type JsonObject, type ResponsesBody } from './types.js';

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);

function invalid(param: string, message: string): SemcacheError {
  return new SemcacheError('SEMCACHE_ERR_REQUEST_INVALID_PARAM', message, { param });
}

function isMessage(item: JsonObject): boolean {
  return item.type === 'message' || (item.type === undefined && typeof item.role === 'string');
}

function checkMessage(item: JsonObject, param: string): void {
  if (typeof item.role !== 'string' || !MESSAGE_ROLES.has(item.role)) {
    throw invalid(`${param}.role`, `Invalid value for '${param}.role': expected one of ${[...MESSAGE_ROLES].join(', ')}.`);
  }
  const { content } = item;
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(`${param}.content`, `Invalid type for '${param}.content': expected a string or an array of content parts.`);
  content.forEach((part, i) => {
    const at = `${param}.content[${i}]`;
    if (!isJsonObject(part) || typeof part.type !== 'string') throw invalid(at, `Invalid content part at '${at}': expected an object with a 'type'.`);
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text !== 'string') {
      throw invalid(`${at}.text`, `Invalid type for '${at}.text': expected a string.`);
    }
  });
}

function checkInput(input: unknown): void {
  if (input === undefined || typeof input === 'string') return;
  if (!Array.isArray(input)) throw invalid('input', "Invalid type for 'input': expected a string or an array of input items.");
  input.forEach((item, i) => {
    const param = `input[${i}]`;
    if (!isJsonObject(item)) throw invalid(param, `Invalid type for '${param}': expected an object.`);
    if (isMessage(item)) checkMessage(item, param);
    else if (typeof item.type !== 'string') throw invalid(`${param}.type`, `Invalid value for '${param}': expected a message or an item with a 'type'.`);
  });
}

function checkTypes(body: JsonObject): void {
  const typed: ReadonlyArray<readonly [string, string, (value: unknown) => boolean]> = [
    ['instructions', 'a string', (v) => typeof v === 'string'],
    ['temperature', 'a number', (v) => typeof v === 'number'],
    ['top_p', 'a number', (v) => typeof v === 'number'],
    ['max_output_tokens', 'an integer', (v) => Number.isInteger(v)],
    ['top_logprobs', 'an integer', (v) => Number.isInteger(v)],
    ['stream', 'a boolean', (v) => typeof v === 'boolean'],
    ['store', 'a boolean', (v) => typeof v === 'boolean'],
    ['background', 'a boolean', (v) => typeof v === 'boolean'],
    ['previous_response_id', 'a string', (v) => typeof v === 'string'],
    ['tools', 'an array', Array.isArray],
    ['include', 'an array', Array.isArray],
    ['text', 'an object', isJsonObject],
    ['reasoning', 'an object', isJsonObject],
    ['stream_options', 'an object', isJsonObject],
  ];
  for (const [name, expected, ok] of typed) {
    const value = body[name];
    if (value !== undefined && value !== null && !ok(value)) throw invalid(name, `Invalid type for '${name}': expected ${expected}.`);
  }
}

export function validateResponsesBody(body: JsonObject): ResponsesBody {
  checkTypes(body);
  checkInput(body.input);
  if (body.input === undefined && body.previous_response_id === undefined && body.prompt === undefined && body.conversation === undefined) {
    throw new SemcacheError('SEMCACHE_ERR_REQUEST_MISSING_PARAM', "Missing required parameter: 'input'.", { param: 'input' });
  }
  return body as ResponsesBody;
}

/** Why a Responses request is not cached at all, when it is not. */
export function responsesBypassReason(body: ResponsesBody): string | undefined {
  const include = Array.isArray(body.include) ? body.include : [];
  if (logprobsAsked(body) || include.includes('message.output_text.logprobs')) return 'logprobs';
  // A background response is a job to poll, not an answer.
  if (body.background === true) return 'background';
  // The upstream appends every turn to a conversation object: a turn served from the cache would be
  // missing from it, and the same input later in the conversation has another context.
  if (body.conversation !== undefined && body.conversation !== null) return 'conversation';
  return undefined;
}

/** Whether a hit may go to another API key (an operator-shared namespace): not when it names a
 * stored response, which the upstream keeps for the key that made it. */
export function responsesSharable(body: ResponsesBody): boolean {
  return body.store === false;
}

function textOfParts(content: unknown): { text: string; hasMedia: boolean } {
  if (typeof content === 'string') return { text: content, hasMedia: false };
  const parts = Array.isArray(content) ? content.filter(isJsonObject) : [];
  const texts = parts.filter((part) => part.type === 'input_text' && typeof part.text === 'string').map((part) => part.text as string);
  return { text: texts.join('\n'), hasMedia: parts.some((part) => part.type !== 'input_text') };
}

export function responsesPromptParts(body: ResponsesBody): PromptParts {
  const params = answerParams(body, 'input');
  const stored = body.store !== false;
  const { input } = body;
  // A string input is one user message to the upstream: keyed as the list form of it would be.
  if (typeof input === 'string') return { context: { params, stored, earlier: [], lastExtra: { role: 'user' } }, text: input };
  const items = Array.isArray(input) ? input : [];
  const last = items.at(-1);
  const earlier = items.slice(0, -1);
  if (last === undefined || !isMessage(last) || last.role !== 'user') return { context: { params, stored, earlier: items }, exact: undefined };
  // `type: "message"` may be written or left out of a message: the same input either way.
  const { content, type: _type, ...lastExtra } = last;
  const context = { params, stored, earlier, lastExtra };
  const { text, hasMedia } = textOfParts(content);
  return hasMedia ? { context, exact: content } : { context, text };
}
