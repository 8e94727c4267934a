// A recovery and the breach that follows it at once must reach the webhook in that order. Sent
// concurrently, each could take its own new connection and arrive swapped (seen 8 times in 200
// cold-connection pairs before deliveries were serialised), and the receiver would believe a
// breached target had recovered.
import { describe, expect, it } from 'vitest';
import { createBreachWebhook, type BreachEvent } from '../../../src/metrics/breach-webhook.js';
import { fakeLogger } from '../metrics-fixtures.js';
import { startWebhookReceiver, T0 } from './finops-stack.js';

function event(kind: 'breach' | 'recovery', observed: number | null): BreachEvent {
  return { event: kind, dimension: { scope: 'overall', name: 'all' }, target: 0.005, observed, window: { seconds: 3600 }, at: new Date(T0).toISOString() };
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
});
