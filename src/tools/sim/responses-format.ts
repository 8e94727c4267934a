// The Responses API's shapes as OpenAI sends them: the response object (one output item, a message
// or a function call) and the named events of its stream, each with a sequence_number, timed by the
// latency model: response.created and response.in_progress at once, the item and its part when the
// first token is ready, one delta per token, then the done events and response.completed (or
// response.incomplete when max_output_tokens cut the answer) with the last token.
import type { GeneratedAnswer } from './answer-text.js';
import { tokenReadyAtMs, type LatencyModel, type TimedEvent } from './latency-model.js';
import type { ResponsesRequest } from './responses-parse.js';

type Body = Record<string, unknown>;

export interface ResponseIds {
  readonly response: string;
  readonly item: string;
  readonly call: string;
}

export interface SimResponse {
  readonly response: Body;
  /** The output's tokens: the message's text or the call's arguments, one piece each. */
  readonly pieces: readonly string[];
}

function outputItem(request: ResponsesRequest, answer: GeneratedAnswer, ids: ResponseIds, complete: boolean): Body {
  const status = complete ? 'completed' : 'incomplete';
  const call = request.toolCall;
  if (call !== undefined) return { id: ids.item, type: 'function_call', status, call_id: ids.call, name: call.name, arguments: call.arguments };
  return {
    id: ids.item,
    type: 'message',
    status,
    role: 'assistant',
    content: [{ type: 'output_text', text: answer.pieces.join(''), annotations: [], logprobs: [] }],
  };
}

export function buildSimResponse(request: ResponsesRequest, answer: GeneratedAnswer, ids: ResponseIds, createdAt: number): SimResponse {
  const { body } = request;
  const complete = answer.finishReason !== 'length';
  const outputTokens = answer.pieces.length;
  const response: Body = {
    id: ids.response,
    object: 'response',
    created_at: createdAt,
    status: complete ? 'completed' : 'incomplete',
    background: false,
    error: null,
    incomplete_details: complete ? null : { reason: 'max_output_tokens' },
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: request.maxOutputTokens ?? null,
    metadata: body.metadata ?? {},
    model: request.model,
    output: [outputItem(request, answer, ids, complete)],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: request.previousResponseId,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: request.store,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    truncation: 'disabled',
    usage: {
      input_tokens: request.promptTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: request.promptTokens + outputTokens,
    },
    user: null,
  };
  return { response, pieces: answer.pieces };
}

export function planResponseEvents(sim: SimResponse, latency: LatencyModel): TimedEvent[] {
  const { response, pieces } = sim;
  const events: TimedEvent[] = [];
  let sequence = 0;
  const add = (atMs: number, type: string, fields: Body): void => {
    events.push({ atMs, name: type, data: JSON.stringify({ type, ...fields, sequence_number: sequence++ }) });
  };
  const item = (response.output as Body[])[0] ?? {};
  const itemId = item.id;
  const firstAt = tokenReadyAtMs(0, latency);
  const lastAt = tokenReadyAtMs(Math.max(0, pieces.length - 1), latency);
  const started = { ...response, status: 'in_progress', output: [], usage: null, incomplete_details: null };
  add(0, 'response.created', { response: started });
  add(0, 'response.in_progress', { response: started });
  const at = { item_id: itemId, output_index: 0 };
  if (item.type === 'function_call') {
    add(firstAt, 'response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } });
    pieces.forEach((delta, i) => add(tokenReadyAtMs(i, latency), 'response.function_call_arguments.delta', { ...at, delta }));
    add(lastAt, 'response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments });
  } else {
    const part = ((item.content as Body[] | undefined) ?? [])[0] ?? {};
    add(firstAt, 'response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
    add(firstAt, 'response.content_part.added', { ...at, content_index: 0, part: { ...part, text: '' } });
    pieces.forEach((delta, i) => add(tokenReadyAtMs(i, latency), 'response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] }));
    add(lastAt, 'response.output_text.done', { ...at, content_index: 0, text: part.text, logprobs: [] });
    add(lastAt, 'response.content_part.done', { ...at, content_index: 0, part });
  }
  add(lastAt, 'response.output_item.done', { output_index: 0, item });
  add(lastAt, response.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  return events;
}
