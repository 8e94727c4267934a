// The routes the cache owns: POST /v1/chat/completions, POST /v1/completions and POST /v1/responses,
// one per wire format. The body is read whole (bounded by the body limit), validated, and handed to
// the request handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CacheableRequest } from '../openai/types.js';
import { parseJsonBody, validateModel } from '../openai/validate.js';
import { WIRE_FORMATS } from '../openai/wire-formats.js';

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

  for (const format of WIRE_FORMATS) {
    app.post(format.path, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const body = parseJsonBody(raw);
      validateModel(body);
      return options.handle({ request, reply, parsed: format.validate(body), raw });
    });
  }
}
