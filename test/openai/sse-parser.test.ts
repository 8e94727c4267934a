import { describe, expect, it } from 'vitest';
import { SseEventTooLargeError, createSseParser, type SseEvent } from '../../src/openai/sse-parser.js';

const STREAM =
  'data: {"a":1}\n\n' + ': keep-alive\r\n\r\n' + 'event: x\ndata: line one\ndata: line two\n\n' + 'data: {"b":2}\r\r' + 'data: [DONE]\n\n' + 'data: cut';

function feed(chunks: readonly string[]): { events: SseEvent[]; pending: string } {
  const parser = createSseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return { events, pending: parser.pending };
}

describe('createSseParser', () => {
  it('splits events at blank lines of any line ending and joins data lines', () => {
    const { events, pending } = feed([STREAM]);
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', undefined, 'line one\nline two', '{"b":2}', '[DONE]']);
    expect(events.map((e) => e.raw).join('') + pending).toBe(STREAM);
    expect(pending).toBe('data: cut');
  });

  it('ends an event at a blank line whose two line ends differ (LF then CRLF, CRLF then LF, LF then CR)', () => {
    const mixed = 'data: one\n\r\n' + 'data: two\r\n\n' + 'data: three\n\r' + 'data: [DONE]\n\n';
    const { events, pending } = feed([mixed]);
    expect(events.map((e) => e.data)).toEqual(['one', 'two', 'three', '[DONE]']);
    expect(events.map((e) => e.raw)).toEqual(['data: one\n\r\n', 'data: two\r\n\n', 'data: three\n\r', 'data: [DONE]\n\n']);
    expect(pending).toBe('');
    // A CR that ends a chunk after an LF waits for the next: it may be the start of a CRLF.
    const parser = createSseParser();
    expect(parser.push('data: four\n\r')).toEqual([]);
    expect(parser.push('\ndata: five\n\n')).toEqual([
      { raw: 'data: four\n\r\n', data: 'four' },
      { raw: 'data: five\n\n', data: 'five' },
    ]);
  });

  it('gives the same events however the stream is split into chunks, ends straddling chunks included', () => {
    const whole = feed([STREAM]);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      expect(feed(chunks)).toEqual(whole);
    }
  });

  it('keeps a large event arriving in many small chunks, and ends it once (quadratic)', () => {
    const data = 'x'.repeat(2_000_000);
    const parser = createSseParser();
    const events: SseEvent[] = [];
    const stream = `data: ${data}\n\n`;
    for (let i = 0; i < stream.length; i += 1024) events.push(...parser.push(stream.slice(i, i + 1024)));
    expect(events).toHaveLength(1);
    expect(events[0]?.data?.length).toBe(2_000_000);
    expect(parser.pending).toBe('');
  });

  it('refuses an event that grows past the limit without ending', () => {
    const parser = createSseParser({ maxEventChars: 100 });
    expect(parser.push(`data: ${'x'.repeat(90)}`)).toEqual([]);
    expect(() => parser.push('y'.repeat(20))).toThrow(SseEventTooLargeError);
  });
});
