// Every /v1 route the cache does not own (embeddings, models, files, responses...) is forwarded
// transparently: any method, bodies streamed both ways, never parsed or buffered.
import type { FastifyInstance } from 'fastify';
import type { Dispatcher } from 'undici';
import { upstreamRequestHeaders } from './hop-by-hop.js';
import { abortOnClientClose, callUpstream, relayResponse } from './forward.js';
import type { Upstream } from './upstream.js';
import type { Readable } from 'node:stream';

export async function passthroughRoutes(app: FastifyInstance, options: { upstream: Upstream }): Promise<void> {
  const { upstream } = options;
  // Leave the request body unread: it is piped to the upstream as it arrives.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });

  app.all('/v1/*', async (request, reply) => {
    const controller = abortOnClientClose(reply);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const response = await callUpstream(upstream, {
      method: request.method as Dispatcher.HttpMethod,
      path: upstream.pathFor(request.url),
      headers: upstreamRequestHeaders(request.headers, { keepContentLength: true }),
      body: hasBody ? ((request.body as Readable | undefined) ?? null) : null,
      signal: controller.signal,
    });
    return relayResponse(request, reply, response);
  });
}
