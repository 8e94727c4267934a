import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimUpstream, type SimUpstream } from '../../../src/tools/sim/sim-app.js';
import type { SimOptions } from '../../../src/tools/sim/sim-options.js';
import { CHAT_PATH, chatBody, postJson, readSse, readSseEvents } from './sim-test-client.js';

const started: SimUpstream[] = [];
async function start(options: Partial<SimOptions> = {}): Promise<SimUpstream> {
  const sim = await startSimUpstream({ answerTokens: 12, ...options });
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

function fault(value: string): Record<string, string> {
  return { 'x-sim-fault': value };
}

/** The low-level cause of a failed fetch, e.g. ECONNRESET. */
async function failure(request: Promise<Response>): Promise<{ code?: string }> {
  try {
    await request;
  } catch (error) {
    return (error as { cause: { code?: string } }).cause;
  }
  throw new Error('the request did not fail');
}

describe('injected errors', () => {
  it('error=503 in the header answers 503 in OpenAI error shape', async () => {
    const sim = await start();
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('error=503'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { message: 'Simulated upstream error 503 (injected by the simulator).', type: 'server_error', param: null, code: 'sim_injected_error' },
    });
    expect(sim.stats.faults.errors).toBe(1);
  });

  it('error=429 looks like a rate limit', async () => {
    const sim = await start();
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('error=429'));
    expect(response.status).toBe(429);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });

  it('the process errorRate 1 with errorStatus fails every request', async () => {
    const sim = await start({ errorRate: 1, errorStatus: 502 });
    const statuses = await Promise.all([1, 2, 3].map(async () => (await postJson(sim.origin, CHAT_PATH, chatBody('hi'))).status));
    expect(statuses).toEqual([502, 502, 502]);
  });

  it('an error rate between 0 and 1 fails some requests and not others', async () => {
    const sim = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('error-rate=0.5,error=500'));
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(sim.stats.faults.errors).toBe(statuses.filter((s) => s === 500).length);
  });

  it('an unknown fault item is refused with 400 instead of ignored', async () => {
    const sim = await start();
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('eror=500'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('x-sim-fault');
  });
});

describe('resets', () => {
  it('reset in the header drops the connection without an answer', async () => {
    const sim = await start();
    expect((await failure(postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('reset')))).code).toBe('ECONNRESET');
    await vi.waitFor(() => expect(sim.stats.faults.resets).toBe(1));
    expect([sim.stats.aborted, sim.stats.completed]).toEqual([0, 0]);
  });

  it('the process resetRate 1 resets every request', async () => {
    const sim = await start({ resetRate: 1 });
    expect((await failure(postJson(sim.origin, '/v1/embeddings', { model: 'e', input: 'x' }))).code).toBe('ECONNRESET');
  });
});

describe('cuts', () => {
  it('cut=3 in the header sends 3 stream chunks, then drops the connection without [DONE]', async () => {
    const sim = await start();
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi', { stream: true }), fault('cut=3'));
    const { data, error } = await readSse(response);
    expect(data).toHaveLength(3);
    expect(data).not.toContain('[DONE]');
    expect(error).toBeDefined();
    await vi.waitFor(() => expect(sim.stats.faults.cuts).toBe(1));
    expect(sim.stats.aborted).toBe(0);
  });

  it('a cut longer than the stream still drops it just before [DONE]', async () => {
    const sim = await start({ cutAfterChunks: 1000 });
    const { data, error } = await readSse(await postJson(sim.origin, CHAT_PATH, chatBody('hi', { stream: true })));
    expect(data).toHaveLength(1 + 12 + 1);
    expect(data.at(-1)).not.toBe('[DONE]');
    expect(error).toBeDefined();
  });

  it('the process cutAfterChunks sends half of a non-streamed body, then drops the connection', async () => {
    const sim = await start({ cutAfterChunks: 1 });
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi'));
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100);
    await expect(response.text()).rejects.toThrow();
    await vi.waitFor(() => expect(sim.stats.faults.cuts).toBe(1));
  });
});

describe('stalls', () => {
  it('stall in the header holds the headers back until the client gives up, counted as aborted', async () => {
    const sim = await start();
    const controller = new AbortController();
    let answered = false;
    const request = postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('stall=60000'), controller.signal).then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(sim.stats.faults.stalls).toBe(1));
    expect(answered).toBe(false);
    controller.abort();
    await expect(request).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(sim.stats.aborted).toBe(1));
    expect(sim.stats.completed).toBe(0);
  });

  it('the process stallMs stalls every request', async () => {
    const sim = await start({ stallMs: 60_000 });
    const controller = new AbortController();
    const request = fetch(`${sim.url}/models`, { signal: controller.signal });
    await vi.waitFor(() => expect(sim.stats.faults.stalls).toBe(1));
    controller.abort();
    await expect(request).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(sim.stats.aborted).toBe(1));
  });
});

describe('latency knobs and client aborts', () => {
  it('ttft in the header sends the stream headers at once and holds the first token back', async () => {
    const sim = await start();
    const controller = new AbortController();
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi', { stream: true }), fault('ttft=60000'), controller.signal);
    expect(response.status).toBe(200);
    controller.abort();
    await vi.waitFor(() => expect(sim.stats.aborted).toBe(1));
    expect(sim.stats.completed).toBe(0);
  });

  it('a client that aborts mid-stream is counted as aborted', async () => {
    // tps=0.001: the role chunk and first piece come at once, the second piece 1000 s later.
    const sim = await start();
    const controller = new AbortController();
    const response = await postJson(sim.origin, CHAT_PATH, chatBody('hi', { stream: true }), fault('tps=0.001'), controller.signal);
    const events = await readSseEvents(response, 2);
    expect(JSON.parse(events[1] ?? '{}')).toMatchObject({ choices: [{ delta: { content: expect.stringMatching(/^\[sim:/) } }] });
    controller.abort();
    await vi.waitFor(() => expect(sim.stats.aborted).toBe(1));
    expect(sim.stats.completed).toBe(0);
  });

  it('the process ttftMs holds a non-streamed answer back until the client gives up', async () => {
    const sim = await start({ ttftMs: 60_000 });
    const controller = new AbortController();
    const request = postJson(sim.origin, CHAT_PATH, chatBody('hi'), {}, controller.signal);
    await vi.waitFor(() => expect(sim.stats.total).toBe(1));
    controller.abort();
    await expect(request).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(sim.stats.aborted).toBe(1));
  });

  it('salt and tokens in the header change the answer and its length', async () => {
    const sim = await start();
    const plain = (await (await postJson(sim.origin, CHAT_PATH, chatBody('hi'))).json()) as {
      choices: Array<{ message: { content: string } }>;
      usage: { completion_tokens: number };
    };
    const salted = (await (await postJson(sim.origin, CHAT_PATH, chatBody('hi'), fault('salt=abc,tokens=20'))).json()) as typeof plain;
    expect(salted.choices[0]?.message.content).not.toBe(plain.choices[0]?.message.content);
    expect([plain.usage.completion_tokens, salted.usage.completion_tokens]).toEqual([12, 20]);
  });
});
