// A recovery and the breach that follows it at once must reach the webhook in that order. Sent
// concurrently, each could take its own new connection and arrive swapped (seen 8 times in 200
// cold-connection pairs before deliveries were serialised), and the receiver would believe a
// breached target had recovered.
import { describe, expect, it } from 'vitest';
import { createBreachWebhook, type BreachEvent } from '../../../src/finops/breach-webhook.js';
import { fakeLogger } from '../metrics-fixtures.js';
import { startWebhookReceiver, T0 } from './finops-stack.js';

function event(kind: 'breach' | 'recovery', observed: number | null, name = 'all'): BreachEvent {
  const dimension = name === 'all' ? { scope: 'overall' as const, name } : { scope: 'model' as const, name };
  return { event: kind, dimension, target: 0.005, observed, window: { seconds: 3600 }, at: new Date(T0).toISOString() };
}

describe('CP1KT webhook deliveries', () => {
  it('delivers a recovery and the breach right after it one at a time, in order', async () => {
    const receiver = await startWebhookReceiver();
    const steps: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The real fetch, holding the first delivery until both events are sent, and noting when each
    // delivery starts and ends.
    const observed: typeof fetch = async (input, init) => {
      const kind = (JSON.parse(String(init?.body)) as BreachEvent).event;
      steps.push(`start ${kind}`);
      if (steps.length === 1) await held;
      const response = await fetch(input, init);
      steps.push(`end ${kind}`);
      return response;
    };
    const webhook = createBreachWebhook({ url: new URL(receiver.url), fetch: observed, logger: fakeLogger() });

    webhook.send(event('recovery', null));
    webhook.send(event('breach', 0.02));
    release();
    await webhook.settled();

    expect(steps).toEqual(['start recovery', 'end recovery', 'start breach', 'end breach']);
    expect([(await receiver.next()).event, (await receiver.next()).event]).toEqual(['recovery', 'breach']);
    await receiver.close();
  });

  it('keeps only the newest waiting event of each dimension while the receiver is slow', async () => {
    const delivered: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: typeof fetch = async (_input, init) => {
      const e = JSON.parse(String(init?.body)) as BreachEvent;
      if (delivered.length === 0) await held;
      delivered.push(`${e.dimension.name} ${e.event} ${e.observed}`);
      return new Response(null, { status: 204 });
    };
    const webhook = createBreachWebhook({ url: new URL('http://127.0.0.1:9/hook'), fetch: slow, logger: fakeLogger() });

    webhook.send(event('breach', 0.01)); // in flight, held
    webhook.send(event('recovery', null));
    webhook.send(event('breach', 0.02));
    webhook.send(event('breach', 0.03, 'llama'));
    for (let i = 0; i < 1000; i++) webhook.send(event(i % 2 === 0 ? 'recovery' : 'breach', i % 2 === 0 ? null : 0.04));
    release();
    await webhook.settled();

    // 1,004 events, three deliveries: the one in flight, then each dimension's newest.
    expect(delivered).toEqual(['all breach 0.01', 'llama breach 0.03', 'all breach 0.04']);
  });
});
