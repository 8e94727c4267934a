// The request validator over generated bodies: whatever the bytes, reading a body either yields a
// request (which can then be keyed) or throws a SemcacheError with a 4xx status, rendered in
// OpenAI's error shape; never a TypeError or a 500.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestKey } from '../../src/cache/request-key.js';
import { SemcacheError } from '../../src/errors.js';
import type { Endpoint } from '../../src/openai/types.js';
import { parseJsonBody, validateModel } from '../../src/openai/validate.js';
import { wireFormatOf } from '../../src/openai/wire-formats.js';

/** Reads a body as the cached routes do (pipeline/completion-routes.ts). */
function validateRequest(endpoint: Endpoint, body: ReturnType<typeof parseJsonBody>) {
  validateModel(body);
  return wireFormatOf(endpoint).validate(body);
}

const RUNS = { numRuns: 500 };

/** Reads bytes as the cached routes do; returns the error thrown, or undefined. */
function read(endpoint: Endpoint, bytes: Uint8Array): unknown {
  try {
    const request = validateRequest(endpoint, parseJsonBody(Buffer.from(bytes)));
    requestKey(request, { tenant: 't', embedderId: 'e', query: '' });
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectClientError(error: unknown): void {
  if (error === undefined) return;
  expect(error).toBeInstanceOf(SemcacheError);
  const known = error as SemcacheError;
  expect(known.status).toBeGreaterThanOrEqual(400);
  expect(known.status).toBeLessThan(500);
  const body = known.toBody();
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.type).toBe('invalid_request_error');
  expect(body.error.param === null || typeof body.error.param === 'string').toBe(true);
  expect(body.error.code).toMatch(/^SEMCACHE_ERR_REQUEST_/);
}

const endpoint = fc.constantFrom<Endpoint>('chat', 'completion');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A valid body of either endpoint with one value anywhere in it replaced by any JSON value: the
 * bodies that get furthest into validation before something is wrong. */
const nearlyValid = fc
  .record({
    base: fc.constantFrom<object>(
      {
        model: 'm',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        ],
        temperature: 0.2,
        stream: true,
        stream_options: { include_usage: true },
      },
      { model: 'm', prompt: ['a', 'b'], n: 2, max_tokens: 5 },
      {
        model: 'm',
        messages: [
          { role: 'assistant', content: null, tool_calls: [] },
          { role: 'user', content: 'x' },
        ],
        logprobs: true,
      },
    ),
    path: fc.array(
      fc.oneof(
        fc.constantFrom(
          'model',
          'messages',
          'prompt',
          'content',
          'role',
          'text',
          'type',
          'n',
          'stream',
          'stream_options',
          'temperature',
          'tool_calls',
          'logprobs',
          'top_logprobs',
          'seed',
        ),
        fc.nat({ max: 3 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    value: fc.jsonValue({ maxDepth: 3 }),
  })
  .map(({ base, path, value }) => {
    const body = structuredClone(base) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = body;
    for (const step of path.slice(0, -1)) {
      const child = node[step];
      if (child === null || typeof child !== 'object') break;
      node = child as Record<string | number, unknown>;
    }
    node[path.at(-1)!] = value;
    return utf8(JSON.stringify(body));
  });

describe('request validation (property)', () => {
  it('throws only 4xx SemcacheErrors in OpenAI shape for any JSON document', () => {
    fc.assert(
      fc.property(endpoint, fc.jsonValue({ maxDepth: 4 }), (to, value) => expectClientError(read(to, utf8(JSON.stringify(value) ?? 'null')))),
      RUNS,
    );
  });

  it('throws only 4xx SemcacheErrors in OpenAI shape for a valid body with one value replaced', () => {
    fc.assert(
      fc.property(endpoint, nearlyValid, (to, bytes) => expectClientError(read(to, bytes))),
      RUNS,
    );
  });

  it('throws only 4xx SemcacheErrors in OpenAI shape for any bytes, cut JSON and deep nesting', () => {
    const cut = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([value, at]) => {
      const text = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: value }] });
      return utf8(text.slice(0, at % text.length));
    });
    const nested = fc
      .tuple(fc.integer({ min: 60, max: 200 }), fc.constantFrom('[', '{"a":'))
      .map(([depth, open]) => utf8(`{"model":"m","messages":${open.repeat(depth)}`));
    fc.assert(
      fc.property(endpoint, fc.oneof(fc.uint8Array({ maxLength: 64 }), cut, nested), (to, bytes) => expectClientError(read(to, bytes))),
      RUNS,
    );
  });
});
