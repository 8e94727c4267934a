// POST /v1/responses (streamed or not) and GET /v1/responses/{id}. Responses are stored unless the
// request says `store: false`, so that `previous_response_id` and GET find them; the oldest are
// forgotten past MAX_STORED_RESPONSES.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createAnswerSeed, generateAnswer, type GeneratedAnswer } from '../answer-text.js';
import { answerReadyAtMs } from '../latency-model.js';
import { openAIError } from '../openai-format.js';
import { streamEvents, waitWhileOpen } from '../response-writer.js';
import { buildSimResponse, planResponseEvents } from '../responses-format.js';
import { parseResponsesRequest, type ResponsesRequest } from '../responses-parse.js';
import { exchangeOf, type SimContext } from '../sim-context.js';
import { argumentPieces } from '../tool-calls.js';
import type { FaultKnobs } from '../fault-header.js';
import { markCut, sendSimJson } from './exchange-hooks.js';

export const MAX_STORED_RESPONSES = 10_000;

function answerFor(request: ResponsesRequest, knobs: FaultKnobs): GeneratedAnswer {
  if (request.toolCall !== undefined) return { pieces: argumentPieces(request.toolCall.arguments), finishReason: 'tool_calls' };
  const seed = createAnswerSeed({ model: request.model, prompt: knobs.answerTopic === '' ? request.prompt : knobs.answerTopic, salt: knobs.answerSalt });
  return generateAnswer(seed, { choiceIndex: 0, answerTokens: knobs.answerTokens, maxTokens: request.maxOutputTokens });
}

function remember(context: SimContext, response: Record<string, unknown>): void {
  const stored = context.storedResponses;
  stored.set(response.id as string, response);
  if (stored.size > MAX_STORED_RESPONSES) {
    const oldest = stored.keys().next().value;
    if (oldest !== undefined) stored.delete(oldest);
  }
}

/** OpenAI's ids: a type prefix and an underscore. */
function idOf(context: SimContext, prefix: string): string {
  return context.nextId(prefix).replace(`${prefix}-`, `${prefix}_`);
}

async function handleResponse(context: SimContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const parsed = parseResponsesRequest(request.body, context.storedResponses);
  if (!parsed.ok) return reply.code(400).send(parsed.error);
  const exchange = exchangeOf(context, request);
  const { knobs } = exchange;
  const generation = parsed.value;
  const answer = answerFor(generation, knobs);
  const ids = { response: idOf(context, 'resp'), item: idOf(context, generation.toolCall === undefined ? 'msg' : 'fc'), call: idOf(context, 'call') };
  const sim = buildSimResponse(generation, answer, ids, Math.floor(Date.now() / 1000));
  const latency = { ttftMs: knobs.ttftMs, tokensPerSecond: knobs.tokensPerSecond };
  if (generation.store) remember(context, sim.response);

  if (generation.stream) {
    reply.hijack();
    streamEvents(reply.raw, planResponseEvents(sim, latency), { cutAfterChunks: knobs.cutAfterChunks, onCut: () => markCut(context, exchange), done: false });
    return reply;
  }
  if (!(await waitWhileOpen(reply.raw, answerReadyAtMs(answer.pieces.length, latency)))) {
    reply.hijack(); // the client left while the answer was "decoding"
    return reply;
  }
  return sendSimJson(context, request, reply, sim.response);
}

export function registerResponsesRoutes(app: FastifyInstance, context: SimContext): void {
  app.post('/responses', (request, reply) => handleResponse(context, request, reply));
  app.get<{ Params: { id: string } }>('/responses/:id', (request, reply) => {
    const response = context.storedResponses.get(request.params.id);
    if (response === undefined)
      return reply.code(404).send(openAIError(`Response with id '${request.params.id}' not found.`, 'invalid_request_error', null, null));
    return sendSimJson(context, request, reply, response);
  });
}
