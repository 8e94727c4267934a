// A real HTTP server on loopback standing in for the operator's CP1KT webhook.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BreachEvent } from '../../src/finops/breach-webhook.js';

export interface WebhookReceiver {
  readonly url: string;
  /** The next event received (already received ones first). */
  next(): Promise<BreachEvent>;
  /** Events received and not yet taken by next(). */
  pending(): readonly BreachEvent[];
  /** POSTs received, refused ones included. */
  readonly attempts: number;
  close(): Promise<void>;
}

/** A real HTTP server on loopback standing in for the operator's CP1KT webhook; `refuse` answers
 * the first POSTs with these statuses instead (a receiver that is down or overloaded for a while). */
export async function startWebhookReceiver(options: { refuse?: readonly number[] } = {}): Promise<WebhookReceiver> {
  const received: BreachEvent[] = [];
  const waiting: Array<(event: BreachEvent) => void> = [];
  let attempts = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const refusal = options.refuse?.[attempts];
      attempts += 1;
      if (refusal !== undefined) {
        response.statusCode = refusal;
        response.end('refused');
        return;
      }
      response.end('ok');
      const event = JSON.parse(body) as BreachEvent;
      const waiter = waiting.shift();
      if (waiter === undefined) received.push(event);
      else waiter(event);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cp1kt-hook`,
    next: async () => received.shift() ?? new Promise<BreachEvent>((resolve) => waiting.push(resolve)),
    pending: () => [...received],
    get attempts() {
      return attempts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
