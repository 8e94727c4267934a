// Maps every error that reaches fastify to OpenAI's error shape; the process keeps serving.
import type { FastifyError, FastifyInstance } from 'fastify';
import { errorBody, isSemcacheError, type ErrorCode } from './errors.js';

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SEMCACHE_ERR_REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SEMCACHE_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SEMCACHE_ERR_REQUEST_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SEMCACHE_ERR_REQUEST_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'SEMCACHE_ERR_REQUEST_INVALID_JSON',
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isSemcacheError(error)) {
      const level = error.status >= 500 ? 'warn' : 'info';
      request.log[level]({ code: error.code, status: error.status, cause: (error.cause as Error | undefined)?.message }, 'request failed');
      return reply.code(error.status).send(error.toBody());
    }
    const mapped = FASTIFY_CODES[error.code];
    if (mapped !== undefined) {
      const status = error.statusCode ?? 400;
      return reply.code(status).send(errorBody(mapped, error.message));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(errorBody('SEMCACHE_ERR_INTERNAL', 'Internal error in semcache.'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('SEMCACHE_ERR_REQUEST_NOT_FOUND', `Unknown route: ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
