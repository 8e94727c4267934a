// Small HTTP helpers for the simulator's tests: JSON posts and a server-sent-events reader.

export const CHAT_PATH = '/v1/chat/completions';

export function postJson(origin: string, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

export function chatBody(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'sim-model', messages: [{ role: 'user', content }], ...extra };
}

/** Splits an SSE body into its `data:` payloads, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

export interface SseRead {
  data: string[];
  /** The error that ended the body early, if it did not end cleanly. */
  error: unknown;
}

/** Reads a streamed body to its end or until the connection breaks, keeping what arrived. */
export async function readSse(response: Response): Promise<SseRead> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('response has no body');
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { data: sseData(text), error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { data: sseData(text), error };
  }
}

/** Reads streamed events until `count` complete `data:` events have arrived, then stops reading. */
export async function readSseEvents(response: Response, count: number): Promise<string[]> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('response has no body');
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const complete = sseData(text.slice(0, text.lastIndexOf('\n\n') + 2));
    if (complete.length >= count) return complete.slice(0, count);
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended after ${complete.length} events, wanted ${count}`);
    text += decoder.decode(value, { stream: true });
  }
}
