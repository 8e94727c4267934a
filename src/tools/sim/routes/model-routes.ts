// GET /v1/models and GET /v1/models/{id}. Ids may contain slashes (`meta-llama/Llama-3.1-8B`), as
// vLLM's do, hence the wildcard.

import type { FastifyInstance } from 'fastify';
import { openAIError } from '../openai-format.js';
import type { SimContext } from '../sim-context.js';
import { sendSimJson } from './exchange-hooks.js';

// A fixed date keeps the listing byte-for-byte stable across runs.
const MODEL_CREATED = 1_700_000_000;

function modelObject(id: string): object {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'semcache-sim' };
}

export function registerModelRoutes(app: FastifyInstance, context: SimContext): void {
  app.get('/models', (request, reply) => sendSimJson(context, request, reply, { object: 'list', data: context.options.modelIds.map(modelObject) }));
  app.get<{ Params: { '*': string } }>('/models/*', (request, reply) => {
    const id = decodeURIComponent(request.params['*']);
    if (!context.options.modelIds.includes(id)) {
      return reply.code(404).send(openAIError(`The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found'));
    }
    return sendSimJson(context, request, reply, modelObject(id));
  });
}
