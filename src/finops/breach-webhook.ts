// POSTs CP1KT breach and recovery events to the operator's webhook. Delivery is best effort: a
// failure is logged, never thrown, and never delays the request that caused the evaluation.
import type { LogSink } from '../logger.js';
import type { TargetScope } from '../config-pricing.js';

export const WEBHOOK_TIMEOUT_MS = 5_000;

export interface BreachEvent {
  readonly event: 'breach' | 'recovery';
  readonly dimension: { readonly scope: TargetScope; readonly name: string };
  /** Target CP1KT in USD. */
  readonly target: number;
  /** Windowed CP1KT in USD when evaluated; null when the window holds no priced tokens. */
  readonly observed: number | null;
  readonly window: { readonly seconds: number };
  readonly at: string;
}

export interface BreachWebhook {
  send(event: BreachEvent): void;
  /** Resolves once every delivery started so far has finished (close and tests wait on it). */
  settled(): Promise<void>;
}

export function createBreachWebhook(options: { url: URL | undefined; fetch: typeof fetch; logger: LogSink }): BreachWebhook {
  // Deliveries go one at a time, in order: sent concurrently, a `recovery` and the `breach` that
  // follows it can reach the receiver swapped (each may take its own new connection), and the
  // receiver would then believe a breached target recovered. Events waiting behind a slow
  // receiver are kept one per dimension, the newest: the queue stays as small as the list of
  // targets. A failed delivery is logged and not retried. deliver() never rejects.
  const waiting = new Map<string, BreachEvent>();
  let running: Promise<void> | undefined;
  const deliver = async (url: URL, event: BreachEvent): Promise<void> => {
    try {
      const response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      if (!response.ok) options.logger.warn({ status: response.status, event: event.event }, 'cp1kt webhook answered with an error status');
      await response.body?.cancel();
    } catch (error) {
      options.logger.warn({ err: error, event: event.event }, 'cp1kt webhook delivery failed');
    }
  };
  const drain = async (url: URL): Promise<void> => {
    for (let next = waiting.entries().next(); !next.done; next = waiting.entries().next()) {
      const [key, event] = next.value;
      waiting.delete(key);
      await deliver(url, event);
    }
  };
  const start = (url: URL): void => {
    running = drain(url).finally(() => {
      running = undefined;
      if (waiting.size > 0) start(url);
    });
  };
  return {
    send(event) {
      if (options.url === undefined) return;
      const key = `${event.dimension.scope}/${event.dimension.name}`;
      // Re-inserted, so a dimension's newest event also takes its turn after the others waiting.
      waiting.delete(key);
      waiting.set(key, event);
      if (running === undefined) start(options.url);
    },
    async settled() {
      while (running !== undefined) await running;
    },
  };
}
