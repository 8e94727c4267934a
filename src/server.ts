// Listening and graceful shutdown: stop accepting, let in-flight requests finish, then exit.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import type { Config } from './config.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, deps: AppDeps = {}): Promise<RunningServer> {
  const app = buildApp(config, deps);
  let closing = false;
  // A response finished while closing also closes its keep-alive connection; otherwise the idle
  // connection would hold the server open until the client's keep-alive ran out.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  try {
    await app.listen({ port: config.server.port, host: config.server.host });
  } catch (error) {
    // Whatever did start (embedding workers, upstream connections) must not keep the process alive.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    app,
    origin: `http://${host}:${port}`,
    close: () => {
      closing = true;
      return app.close();
    },
  };
}

/** Closes on SIGTERM/SIGINT; a second signal, or the grace period running out, exits at once. */
export function closeOnSignals(server: RunningServer, graceMs: number, onClosed: (code: number) => void): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      onClosed(1);
      return;
    }
    closing = true;
    server.app.log.info({ signal, graceMs }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      server.app.log.warn({ graceMs }, 'grace period over: exiting with requests still in flight');
      onClosed(1);
    }, graceMs);
    timer.unref();
    server.close().then(
      () => onClosed(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'error while closing');
        onClosed(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
