// The two routes the cache owns: POST /v1/chat/completions and POST /v1/completions. The body is
// read whole (bounded by the body limit), validated, and handed to the request handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENDPOINT_PATHS, type CacheableRequest, type Endpoint } from '../openai/types.js';
import { parseJsonBody, validateCacheableRequest } from '../openai/validate.js';

export interface CompletionRequest {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly parsed: CacheableRequest;
  /** The body bytes as the client sent them, forwarded unchanged when nothing needs rewriting. */
  readonly raw: Buffer;
}

export type CompletionHandler = (call: CompletionRequest) => Promise<FastifyReply>;

export async function completionRoutes(app: FastifyInstance, options: { bodyLimitBytes: number; handle: CompletionHandler }): Promise<void> {
  app.removeAllContentTypeParsers();
  // Every content type is read as bytes and parsed here, so that bad JSON gets OpenAI's error shape.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_request, body, done) => {
    done(null, body);
  });

  for (const endpoint of Object.keys(ENDPOINT_PATHS) as Endpoint[]) {
    app.post(ENDPOINT_PATHS[endpoint], async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const parsed = validateCacheableRequest(endpoint, parseJsonBody(raw));
      return options.handle({ request, reply, parsed, raw });
    });
  }
}
