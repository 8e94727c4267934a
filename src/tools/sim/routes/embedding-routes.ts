// POST /v1/embeddings: deterministic unit vectors (embedding-vector.ts), as floats or, with
// `encoding_format: "base64"` (the official openai SDK's default), as little-endian float32 bytes.

import type { FastifyInstance } from 'fastify';
import { embeddingVector, encodeEmbeddingBase64 } from '../embedding-vector.js';
import { invalid, invalidRequest, parseModel, type Parsed } from '../request-parse.js';
import type { SimContext } from '../sim-context.js';
import { estimateTextTokens } from '../token-estimate.js';
import { sendSimJson } from './exchange-hooks.js';

export const MAX_EMBEDDING_DIMENSIONS = 65_536;

interface EmbeddingInput {
  /** What the vector is derived from: the text, or the token ids written out. */
  key: string;
  tokens: number;
}

function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'number' && Number.isInteger(t));
}

/** `input` may be a string, an array of strings, an array of token ids, or an array of those. */
function parseInputs(input: unknown): Parsed<EmbeddingInput[]> {
  const fromText = (text: string): EmbeddingInput => ({ key: text, tokens: estimateTextTokens(text) });
  const fromTokens = (ids: number[]): EmbeddingInput => ({ key: `tokens:${ids.join(',')}`, tokens: ids.length });
  if (typeof input === 'string') return { ok: true, value: [fromText(input)] };
  if (isTokenArray(input)) return { ok: true, value: [fromTokens(input)] };
  if (Array.isArray(input) && input.length > 0) {
    const items: EmbeddingInput[] = [];
    for (const item of input) {
      if (typeof item === 'string') items.push(fromText(item));
      else if (isTokenArray(item)) items.push(fromTokens(item));
      else return invalid(`Invalid 'input': expected strings or arrays of token ids.`, 'input', 'invalid_type');
    }
    return { ok: true, value: items };
  }
  if (input === undefined) return invalid(`Missing required parameter: 'input'.`, 'input', 'missing_required_parameter');
  return invalid(`Invalid 'input': expected a string or a non-empty array.`, 'input', 'invalid_type');
}

export function registerEmbeddingRoutes(app: FastifyInstance, context: SimContext): void {
  app.post('/embeddings', (request, reply) => {
    const base = parseModel(request.body);
    if (!base.ok) return reply.code(400).send(base.error);
    const { body, model } = base.value;
    const inputs = parseInputs(body.input);
    if (!inputs.ok) return reply.code(400).send(inputs.error);
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      return reply.code(400).send(invalidRequest(`Invalid 'encoding_format': expected 'float' or 'base64'.`, 'encoding_format', 'invalid_value'));
    }
    const dimensions = body.dimensions ?? context.options.embeddingDimensions;
    if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_EMBEDDING_DIMENSIONS) {
      return reply
        .code(400)
        .send(invalidRequest(`Invalid 'dimensions': expected an integer between 1 and ${MAX_EMBEDDING_DIMENSIONS}.`, 'dimensions', 'invalid_value'));
    }
    let promptTokens = 0;
    const data = inputs.value.map((input, index) => {
      promptTokens += input.tokens;
      const vector = embeddingVector(input.key, dimensions);
      const embedding = format === 'base64' ? encodeEmbeddingBase64(vector) : Array.from(vector);
      return { object: 'embedding', index, embedding };
    });
    return sendSimJson(context, request, reply, {
      object: 'list',
      data,
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  });
}
