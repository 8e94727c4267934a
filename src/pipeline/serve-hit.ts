// A hit served in the form the client asked for (a whole body or an SSE stream), rendered by its
// wire format, with headers saying which entry it came from and how similar it was.
import type { FastifyReply } from 'fastify';
import type { Hit } from '../cache/cache-engine.js';
import { wireFormatOf } from '../openai/wire-formats.js';
import { RESPONSE_HEADER } from '../semcache-headers.js';
import type { CacheRequest } from './cache-request.js';

export function serveHit(request: CacheRequest, hit: Hit): FastifyReply {
  const { reply, request: incoming } = request.call;
  const completion = hit.entry.value.completion;
  const rendered = wireFormatOf(completion.endpoint).render(completion, {
    streamed: request.streamed,
    includeUsage: request.includeUsage,
    created: Math.floor(Date.now() / 1000),
  });
  reply.headers({
    [RESPONSE_HEADER.status]: hit.kind,
    [RESPONSE_HEADER.similarity]: hit.similarity.toFixed(4),
    [RESPONSE_HEADER.supportedSimilarity]: hit.supported.toFixed(4),
    [RESPONSE_HEADER.entryId]: String(hit.entry.id),
    'x-request-id': incoming.id,
  });
  if (!rendered.eventStream) return reply.send(rendered.payload);
  return reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send(rendered.payload);
}
