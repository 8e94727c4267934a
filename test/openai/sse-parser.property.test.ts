// The SSE parser over generated streams: the events it yields do not depend on how the bytes were
// split into chunks (TCP and the upstream decide that, not the protocol), and a stream written as
// events (WHATWG HTML §9.2: data lines, comments, other fields; one line ending per stream, or
// each line its own) is read back as exactly those events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../../src/openai/sse-parser.js';

const RUNS = { numRuns: 400 };

/** Every event of `chunks` fed in order, then what was left pending. */
function parse(chunks: readonly string[]): { events: SseEvent[]; pending: string } {
  const parser = createSseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return { events, pending: parser.pending };
}

/** `text` cut at the given offsets (any of them, in any order, repeated or not). */
function split(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  chunks.push(text.slice(from));
  return chunks;
}

/** Streams made of the characters that matter to the parser, in any order: line ends alone, in
 * pairs and in runs, field names, and a few others, so that event ends fall across chunks. */
const rawStream = fc
  .array(fc.constantFrom('data:', 'data: ', ': ping', 'event: x', 'id: 7', '\n', '\r', '\r\n', '{"a":1}', '[DONE]', 'é', ' ', 'x'), { maxLength: 60 })
  .map((parts) => parts.join(''));

const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const fieldValue = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ''));
const eventLines = fc.array(
  fc.oneof(
    fieldValue.map((v) => ({ line: `data: ${v}`, data: v })),
    // §9.2: one space after the colon is not part of the value.
    fieldValue.map((v) => ({ line: `data:${v}`, data: v.startsWith(' ') ? v.slice(1) : v })),
    fieldValue.map((v) => ({ line: `: ${v}`, data: undefined })),
    fieldValue.map((v) => ({ line: `event: ${v}`, data: undefined })),
  ),
  { minLength: 1, maxLength: 4 },
);

describe('SSE parser (property)', () => {
  it('yields the same events and leaves the same remainder however the stream is chunked', () => {
    fc.assert(
      fc.property(rawStream, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        expect(parse(split(text, cuts))).toEqual(parse([text]));
      }),
      RUNS,
    );
  });

  it('reads back the events a stream was written as, whatever its line ending and chunking', () => {
    fc.assert(
      fc.property(fc.array(eventLines, { minLength: 1, maxLength: 5 }), lineEnd, fc.array(fc.nat(), { maxLength: 12 }), (events, eol, cuts) => {
        const raws = events.map((lines) => `${lines.map((l) => l.line).join(eol)}${eol}${eol}`);
        const expected = events.map((lines, i) => {
          const data = lines.filter((l) => l.data !== undefined).map((l) => l.data);
          return { raw: raws[i], data: data.length > 0 ? data.join('\n') : undefined };
        });
        expect(parse(split(raws.join(''), cuts))).toEqual({ events: expected, pending: '' });
      }),
      RUNS,
    );
  });

  it('reads back the events of a stream whose lines each end their own way (CR, LF or CRLF)', () => {
    // After a line ending in a lone CR the blank line is a CR too: "\r\n" there would be read as one
    // CRLF (the spec's reading), and "\r\r\n" gives its LF to the next event (data unchanged).
    const endings = (count: number) => fc.array(lineEnd, { minLength: count, maxLength: count });
    fc.assert(
      fc.property(
        fc
          .array(eventLines, { minLength: 1, maxLength: 5 })
          .chain((events) =>
            fc.tuple(fc.constant(events), fc.tuple(...events.map((lines) => endings(lines.length + 1))), fc.array(fc.nat(), { maxLength: 12 })),
          ),
        ([events, eols, cuts]) => {
          const raws = events.map((lines, i) => {
            const ends = eols[i] ?? [];
            const blankEnd = ends[lines.length - 1] === '\r' ? '\r' : (ends[lines.length] ?? '\n');
            return `${lines.map((l, j) => `${l.line}${ends[j] ?? '\n'}`).join('')}${blankEnd}`;
          });
          const expected = events.map((lines, i) => {
            const data = lines.filter((l) => l.data !== undefined).map((l) => l.data);
            return { raw: raws[i], data: data.length > 0 ? data.join('\n') : undefined };
          });
          // A stream that stops right after an LF or CRLF and a lone CR leaves its last event
          // pending: the CR could have been the start of a CRLF.
          const last = raws.at(-1) ?? '';
          const open = /(?:\r\n|\n)\r$/.test(last);
          expect(parse(split(raws.join(''), cuts))).toEqual({ events: open ? expected.slice(0, -1) : expected, pending: open ? last : '' });
        },
      ),
      RUNS,
    );
  });
});
