// POSTs CP1KT breach and recovery events to the operator's webhook. Delivery is best effort but
// retried: a failed POST is tried again after a bounded, doubling pause, so one lost connection or
// one restart of the receiver does not lose an alert. A failure is logged and counted, never
// thrown, and never delays the request that caused the evaluation.
import type { LogSink } from '../logger.js';
import type { TargetScope } from '../config-pricing.js';

export const WEBHOOK_TIMEOUT_MS = 5_000;

/** Attempts per event, the pause before the first retry (doubled after each failure) and its cap:
 * 1 + 2 + 4 s of pauses, so an event is given up within about 30 s even when every attempt waits
 * out its timeout. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { attempts: 4, firstDelayMs: 1_000, maxDelayMs: 8_000 };

export interface WebhookRetry {
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

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

/** How an event's delivery ended: received (2xx), given up, or replaced by a newer event of the same
 * target while it waited to be retried. */
export type DeliveryResult = 'delivered' | 'failed' | 'superseded';

export interface BreachWebhook {
  send(event: BreachEvent): void;
  /** Resolves once every delivery started so far has finished (tests wait on it). */
  settled(): Promise<void>;
  /** Stops retrying (pauses end at once; each waiting event gets one last attempt), then settles. */
  close(): Promise<void>;
}

export interface BreachWebhookOptions {
  readonly url: URL | undefined;
  readonly fetch: typeof fetch;
  readonly logger: LogSink;
  readonly retry?: WebhookRetry;
  readonly onResult?: (result: DeliveryResult) => void;
}

/** A receiver that refuses the event (4xx) will refuse it again; one that is overloaded or broken
 * (429, 5xx) may take it later. */
function worthRetrying(status: number): boolean {
  return status === 429 || status >= 500;
}

type Attempt = { ok: true } | { ok: false; retry: boolean; fields: Record<string, unknown> };

export function createBreachWebhook(options: BreachWebhookOptions): BreachWebhook {
  // Deliveries go one at a time, in order: sent concurrently, a `recovery` and the `breach` that
  // follows it can reach the receiver swapped (each may take its own new connection), and the
  // receiver would then believe a breached target recovered. Events waiting behind a slow
  // receiver are kept one per dimension, the newest: the queue stays as small as the list of
  // targets. An event being retried is dropped when a newer one of its dimension is waiting.
  const retry = options.retry ?? DEFAULT_WEBHOOK_RETRY;
  const waiting = new Map<string, BreachEvent>();
  let running: Promise<void> | undefined;
  let closing = false;
  let wake: () => void = () => undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const attempt = async (url: URL, event: BreachEvent): Promise<Attempt> => {
    try {
      const response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      return { ok: false, retry: worthRetrying(response.status), fields: { status: response.status } };
    } catch (error) {
      return { ok: false, retry: true, fields: { err: error } };
    }
  };

  /** Never rejects. */
  const deliver = async (url: URL, key: string, event: BreachEvent): Promise<DeliveryResult> => {
    let delayMs = retry.firstDelayMs;
    for (let number = 1; ; number++) {
      const result = await attempt(url, event);
      if (result.ok) return 'delivered';
      const last = !result.retry || number >= retry.attempts || closing;
      const fields = { ...result.fields, event: event.event, attempt: number, attempts: retry.attempts };
      if (last) {
        options.logger.warn(fields, 'cp1kt webhook delivery failed');
        return 'failed';
      }
      options.logger.warn({ ...fields, retryInMs: delayMs }, 'cp1kt webhook delivery failed, retrying');
      await pause(delayMs);
      delayMs = Math.min(delayMs * 2, retry.maxDelayMs);
      if (waiting.has(key)) return 'superseded';
    }
  };

  const drain = async (url: URL): Promise<void> => {
    for (let next = waiting.entries().next(); !next.done; next = waiting.entries().next()) {
      const [key, event] = next.value;
      waiting.delete(key);
      // Awaited apart: in `onResult?.(await ...)` an absent onResult would skip the delivery too.
      const result = await deliver(url, key, event);
      options.onResult?.(result);
    }
  };
  const start = (url: URL): void => {
    running = drain(url).finally(() => {
      running = undefined;
      if (waiting.size > 0) start(url);
    });
  };
  const settled = async (): Promise<void> => {
    while (running !== undefined) await running;
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
    settled,
    close() {
      closing = true;
      wake();
      return settled();
    },
  };
}
