// An incremental parser of server-sent events (WHATWG HTML §9.2): events end at a blank line; an
// event's data is its `data:` lines joined with "\n". Each event keeps its raw text so that a proxy
// can pass it on byte for byte.

export interface SseEvent {
  /** The event exactly as received, its terminating blank line included. */
  readonly raw: string;
  /** The joined data lines, or undefined for an event without data (a comment, a keep-alive). */
  readonly data: string | undefined;
}

const EVENT_END = /\r\n\r\n|\n\n|\r\r/;

export interface SseParser {
  /** Feeds a chunk; returns the events it completed. */
  push(chunk: string): SseEvent[];
  /** What was received after the last complete event (a truncated event, when the stream is cut). */
  readonly pending: string;
}

function parseEvent(raw: string): SseEvent {
  const data: string[] = [];
  for (const line of raw.split(/\r\n|\n|\r/)) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return { raw, data: data.length > 0 ? data.join('\n') : undefined };
}

export function createSseParser(): SseParser {
  let buffer = '';
  return {
    push(chunk) {
      buffer += chunk;
      const events: SseEvent[] = [];
      for (let match = EVENT_END.exec(buffer); match !== null; match = EVENT_END.exec(buffer)) {
        const end = match.index + match[0].length;
        events.push(parseEvent(buffer.slice(0, end)));
        buffer = buffer.slice(end);
      }
      return events;
    },
    get pending() {
      return buffer;
    },
  };
}
