// An incremental parser of server-sent events (WHATWG HTML §9.2): events end at a blank line; an
// event's data is its `data:` lines joined with "\n". Each event keeps its raw text so that a proxy
// can pass it on byte for byte.

export interface SseEvent {
  /** The event exactly as received, its terminating blank line included. */
  readonly raw: string;
  /** The joined data lines, or undefined for an event without data (a comment, a keep-alive). */
  readonly data: string | undefined;
}

/** A blank line: two line ends in a row, each CRLF, LF or CR, mixed or not ("\n\r\n" too). A CR
 * followed by LF is one CRLF, never a CR and an LF. After a lone CR the second end is taken as one
 * character ("\r\r\n" ends at "\r\r"): the event's data is the same either way, and the split then
 * does not depend on where the chunks were cut. */
const EVENT_END = /\r(?!\n)\r|(?:\r\n|\n)(?:\r\n|\n|\r(?!\n))/;
/** The longest event end, less one: how much of what came before a chunk an end may start in. */
const END_OVERLAP = 3;

/** An end after an LF or CRLF whose second end is a CR with nothing after it yet: the next chunk
 * may bring the LF of a CRLF that belongs to this end. (A stream that stops right there leaves its
 * last event pending.) */
function mayGrow(end: RegExpExecArray, buffer: string): boolean {
  return end.index + end[0].length === buffer.length && end[0] !== '\r\r' && end[0].endsWith('\r');
}
/** An event larger than this is not an answer's chunk but a broken or hostile upstream. */
export const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

export class SseEventTooLargeError extends Error {
  override readonly name = 'SseEventTooLargeError';
}

export interface SseParser {
  /** Feeds a chunk; returns the events it completed. Throws SseEventTooLargeError when an event
   * grows past the limit. */
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

export function createSseParser(options: { maxEventChars?: number } = {}): SseParser {
  const maxEventChars = options.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
  // The part of an event received so far, as chunks: joined once, when the event ends. Joining and
  // rescanning on every chunk is quadratic in the event's size (30 s for one 4 MiB event in 1 KiB
  // chunks).
  let parts: string[] = [];
  let length = 0;
  let tail = '';
  return {
    push(chunk) {
      if (chunk === '') return [];
      // An event end in this chunk, or straddling it and the last few characters before it.
      if (!EVENT_END.test(tail + chunk)) {
        parts.push(chunk);
        length += chunk.length;
        tail = (tail + chunk).slice(-END_OVERLAP);
        if (length > maxEventChars) throw new SseEventTooLargeError(`an event grew past ${maxEventChars} characters without ending`);
        return [];
      }
      let buffer = parts.join('') + chunk;
      const events: SseEvent[] = [];
      for (let match = EVENT_END.exec(buffer); match !== null && !mayGrow(match, buffer); match = EVENT_END.exec(buffer)) {
        const end = match.index + match[0].length;
        events.push(parseEvent(buffer.slice(0, end)));
        buffer = buffer.slice(end);
      }
      parts = buffer === '' ? [] : [buffer];
      length = buffer.length;
      tail = buffer.slice(-END_OVERLAP);
      if (length > maxEventChars) throw new SseEventTooLargeError(`an event grew past ${maxEventChars} characters without ending`);
      return events;
    },
    get pending() {
      return parts.join('');
    },
  };
}
