// A cached Responses API answer served as a stream: the event sequence OpenAI sends, each event as
// `event: <type>` and `data: <json>` with a `sequence_number` counting from 0:
//   response.created, response.in_progress, then per output item: output_item.added, for a message
//   per content part: content_part.added, output_text.delta... (refusal.delta... for a refusal),
//   output_text.done, content_part.done; for a function call: function_call_arguments.delta...,
//   .done; then output_item.done; and last response.completed with the whole response.
// The SDK's stream helpers rebuild the response from these and end with the completed one.
import type { CachedResponse } from './cached-response.js';
import { streamPieces } from './render-response.js';
import { isJsonObject, type JsonObject } from './types.js';

type Emit = (type: string, fields: JsonObject) => void;

function itemId(item: JsonObject): string {
  return typeof item.id === 'string' ? item.id : '';
}

/** The item as it starts: in progress, its text parts or arguments still empty. */
function startedItem(item: JsonObject): JsonObject {
  const started: JsonObject = { ...item };
  if ('status' in item) started.status = 'in_progress';
  if (item.type === 'message') started.content = [];
  if (item.type === 'function_call') started.arguments = '';
  return started;
}

function emitPart(emit: Emit, at: { item_id: string; output_index: number; content_index: number }, part: JsonObject): void {
  if (part.type === 'output_text' && typeof part.text === 'string') {
    emit('response.content_part.added', { ...at, part: { ...part, text: '', annotations: [] } });
    for (const delta of streamPieces(part.text)) emit('response.output_text.delta', { ...at, delta, logprobs: [] });
    emit('response.output_text.done', { ...at, text: part.text, logprobs: [] });
  } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
    emit('response.content_part.added', { ...at, part: { ...part, refusal: '' } });
    for (const delta of streamPieces(part.refusal)) emit('response.refusal.delta', { ...at, delta });
    emit('response.refusal.done', { ...at, refusal: part.refusal });
  } else {
    emit('response.content_part.added', { ...at, part });
  }
  emit('response.content_part.done', { ...at, part });
}

function emitItem(emit: Emit, item: JsonObject, outputIndex: number): void {
  const id = itemId(item);
  emit('response.output_item.added', { output_index: outputIndex, item: startedItem(item) });
  if (item.type === 'message' && Array.isArray(item.content)) {
    item.content.forEach((part, contentIndex) => {
      if (isJsonObject(part)) emitPart(emit, { item_id: id, output_index: outputIndex, content_index: contentIndex }, part);
    });
  }
  if (item.type === 'function_call' && typeof item.arguments === 'string') {
    for (const delta of streamPieces(item.arguments, 8)) emit('response.function_call_arguments.delta', { item_id: id, output_index: outputIndex, delta });
    emit('response.function_call_arguments.done', { item_id: id, output_index: outputIndex, name: item.name, arguments: item.arguments });
  }
  emit('response.output_item.done', { output_index: outputIndex, item });
}

export function renderResponseEvents(cached: CachedResponse): string {
  const { response } = cached;
  const events: string[] = [];
  let sequence = 0;
  const emit: Emit = (type, fields) => {
    events.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`);
  };
  const inProgress = { ...response, status: 'in_progress', output: [], usage: null, ...('completed_at' in response ? { completed_at: null } : {}) };
  emit('response.created', { response: inProgress });
  emit('response.in_progress', { response: inProgress });
  const output = Array.isArray(response.output) ? response.output : [];
  output.forEach((item, index) => {
    if (isJsonObject(item)) emitItem(emit, item, index);
  });
  emit('response.completed', { response });
  return events.join('');
}
