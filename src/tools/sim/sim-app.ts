// The simulated GPU upstream: an OpenAI-compatible server with deterministic answers, a latency
// model and fault injection, used by the tests, the demo and the bench in place of real inference.

import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { openAIError } from './openai-format.js';
import { registerCompletionRoutes } from './routes/completion-routes.js';
import { registerEmbeddingRoutes } from './routes/embedding-routes.js';
import { registerExchangeHooks } from './routes/exchange-hooks.js';
import { registerModelRoutes } from './routes/model-routes.js';
import { registerResponsesRoutes } from './routes/responses-routes.js';
import { registerStatsRoutes } from './routes/stats-routes.js';
import { createSimContext } from './sim-context.js';
import { DEFAULT_SIM_HOST, DEFAULT_SIM_OPTIONS, type SimOptions } from './sim-options.js';
import { createSimStats, type SimStats } from './sim-stats.js';

// Long-context tests send big prompts; real servers accept far more than fastify's 1 MiB default.
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

// OpenAI's wording, so clients that show the message show the familiar one.
const INVALID_JSON_MESSAGE =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library " +
  'correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)';

export interface SimApp {
  app: FastifyInstance;
  stats: SimStats;
}

export interface SimUpstream {
  /** Base URL for OpenAI clients, e.g. `http://127.0.0.1:40123/v1`. */
  url: string;
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  stats: SimStats;
  close(): Promise<void>;
}

function badJson(cause?: unknown): FastifyError {
  const error = new Error(INVALID_JSON_MESSAGE, { cause }) as FastifyError;
  error.statusCode = 400;
  error.code = 'SIM_INVALID_JSON';
  return error;
}

export function buildSimApp(options: Partial<SimOptions> = {}): SimApp {
  const resolved: Readonly<SimOptions> = Object.freeze({ ...DEFAULT_SIM_OPTIONS, ...options });
  const stats = createSimStats();
  const context = createSimContext(resolved, stats);
  // Stalled and streaming responses must not hold close() up: tests close the sim mid-stream.
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, forceCloseConnections: true });

  // Real OpenAI servers parse the body as JSON whatever its Content-Type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(badJson(error), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    const type = status >= 500 ? 'server_error' : 'invalid_request_error';
    const message = error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? INVALID_JSON_MESSAGE : error.message;
    return reply.code(status).send(openAIError(message, type));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(openAIError(`Invalid URL (${request.method} ${request.url})`, 'invalid_request_error')));

  app.register(
    async (v1) => {
      registerExchangeHooks(v1, context);
      registerCompletionRoutes(v1, context);
      registerResponsesRoutes(v1, context);
      registerEmbeddingRoutes(v1, context);
      registerModelRoutes(v1, context);
    },
    { prefix: '/v1' },
  );
  registerStatsRoutes(app, context);
  return { app, stats };
}

/** Builds the simulator and listens (default 127.0.0.1, a free port). */
export async function startSimUpstream(options: Partial<SimOptions> = {}, listen: { port?: number; host?: string } = {}): Promise<SimUpstream> {
  const { app, stats } = buildSimApp(options);
  const host = listen.host ?? DEFAULT_SIM_HOST;
  await app.listen({ port: listen.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url: `${origin}/v1`, origin, stats, close: () => app.close() };
}
