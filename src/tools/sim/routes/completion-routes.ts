// POST /v1/chat/completions and POST /v1/completions, streamed or not.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createAnswerSeed, generateAnswer } from '../answer-text.js';
import type { FaultKnobs } from '../fault-header.js';
import { answerReadyAtMs } from '../latency-model.js';
import { completionBody, createChunkEncoder, usageOf, type ChoiceResult, type CompletionKind, type CompletionMeta } from '../openai-format.js';
import { parseCompletionRequest, type GenerationRequest } from '../request-parse.js';
import { streamEvents, waitWhileOpen } from '../response-writer.js';
import { argumentPieces } from '../tool-calls.js';
import type { SimContext } from '../sim-context.js';
import { exchangeOf } from '../sim-context.js';
import { planStream } from '../stream-plan.js';
import { markCut, sendSimJson } from './exchange-hooks.js';

export function registerCompletionRoutes(app: FastifyInstance, context: SimContext): void {
  app.post('/chat/completions', (request, reply) => handleCompletion(context, 'chat', request, reply));
  app.post('/completions', (request, reply) => handleCompletion(context, 'text', request, reply));
}

/** Legacy completions with several prompts give n choices per prompt, indexed prompt-major, as OpenAI does. */
function generateChoices(request: GenerationRequest, knobs: FaultKnobs, nextId: (prefix: string) => string): ChoiceResult[] {
  const choices: ChoiceResult[] = [];
  const call = request.toolCall;
  if (call !== undefined) {
    for (let i = 0; i < request.n; i++) {
      choices.push({ index: i, text: '', pieces: argumentPieces(call.arguments), finishReason: 'tool_calls', toolCall: { id: nextId('call'), ...call } });
    }
    return choices;
  }
  for (const prompt of request.prompts) {
    const seed = createAnswerSeed({ model: request.model, prompt: knobs.answerTopic === '' ? prompt : knobs.answerTopic, salt: knobs.answerSalt });
    for (let i = 0; i < request.n; i++) {
      const answer = generateAnswer(seed, { choiceIndex: i, answerTokens: knobs.answerTokens, maxTokens: request.maxTokens });
      choices.push({ index: choices.length, text: answer.pieces.join(''), pieces: answer.pieces, finishReason: answer.finishReason });
    }
  }
  return choices;
}

async function handleCompletion(context: SimContext, kind: CompletionKind, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const parsed = parseCompletionRequest(kind, request.body);
  if (!parsed.ok) return reply.code(400).send(parsed.error);
  const exchange = exchangeOf(context, request);
  const { knobs } = exchange;
  const generation = parsed.value;
  const choices = generateChoices(generation, knobs, context.nextId);
  const meta: CompletionMeta = {
    kind,
    id: context.nextId(kind === 'chat' ? 'chatcmpl' : 'cmpl'),
    created: Math.floor(Date.now() / 1000),
    model: generation.model,
  };
  const usage = usageOf(generation.promptTokens, choices);
  const latency = { ttftMs: knobs.ttftMs, tokensPerSecond: knobs.tokensPerSecond };

  if (generation.stream) {
    const encoder = createChunkEncoder(meta, generation.includeUsage);
    const events = planStream({ kind, choices, encoder, latency, usage: generation.includeUsage ? usage : null });
    reply.hijack();
    streamEvents(reply.raw, events, { cutAfterChunks: knobs.cutAfterChunks, onCut: () => markCut(context, exchange) });
    return reply;
  }

  let longest = 0;
  for (const choice of choices) longest = Math.max(longest, choice.pieces.length);
  if (!(await waitWhileOpen(reply.raw, answerReadyAtMs(longest, latency)))) {
    reply.hijack(); // the client left while the answer was "decoding"
    return reply;
  }
  return sendSimJson(context, request, reply, completionBody(meta, choices, usage));
}
