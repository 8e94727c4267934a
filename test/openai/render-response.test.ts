import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CachedChoice, ChoicesCompletion, ChoicesEndpoint } from '../../src/openai/cached-completion.js';
import { renderSse, streamPieces, type RenderOptions } from '../../src/openai/render-response.js';
import type { JsonObject } from '../../src/openai/types.js';

describe('streamPieces', () => {
  it('cuts an answer into pieces of three words that join back to it exactly', () => {
    const text = '  Paris is the capital\nof France, and its largest city. ';
    const pieces = streamPieces(text);
    expect(pieces).toEqual(['  Paris is the ', 'capital\nof France, ', 'and its largest ', 'city. ']);
    expect(pieces.join('')).toBe(text);
  });

  it('sends a blank answer as one piece, however long (quadratic)', () => {
    const blank = '\n'.repeat(300_000);
    expect(streamPieces(blank)).toEqual([blank]);
    expect(streamPieces('')).toEqual([]);
  });
});

// What each chunk of a streamed hit must be, built whole as an object: the envelope's fields
// first, then the choices, then the usage field when the client asked for it. renderSse builds the
// same text without stringifying the envelope again for every chunk; these tests hold it to this.
function expectedChunks(completion: ChoicesCompletion, options: RenderOptions & { includeUsage: boolean }): JsonObject[] {
  const object = completion.endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const base = { id: options.id, object, created: options.created, model: completion.model, system_fingerprint: completion.systemFingerprint };
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunks: JsonObject[] = [];
  for (const choice of completion.choices) {
    if (completion.endpoint === 'chat') {
      const message = choice.message ?? {};
      const deltas: JsonObject[] = [{ role: typeof message.role === 'string' ? message.role : 'assistant', content: '' }];
      if (typeof message.content === 'string') for (const piece of streamPieces(message.content)) deltas.push({ content: piece });
      if (typeof message.refusal === 'string') deltas.push({ refusal: message.refusal });
      if (Array.isArray(message.tool_calls)) message.tool_calls.forEach((call, index) => deltas.push({ tool_calls: [{ index, ...(call as JsonObject) }] }));
      for (const delta of deltas) chunks.push({ ...base, choices: [{ index: choice.index, delta, logprobs: null, finish_reason: null }], ...usageField });
      chunks.push({ ...base, choices: [{ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finishReason }], ...usageField });
    } else {
      for (const piece of streamPieces(choice.text ?? ''))
        chunks.push({ ...base, choices: [{ text: piece, index: choice.index, logprobs: null, finish_reason: null }], ...usageField });
      chunks.push({ ...base, choices: [{ text: '', index: choice.index, logprobs: null, finish_reason: choice.finishReason }], ...usageField });
    }
  }
  if (options.includeUsage) chunks.push({ ...base, choices: [], usage: completion.usage ?? null });
  return chunks;
}

const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '"', '\\', 'é', '😀', '\u2028'), maxLength: 60 });
const choice = (endpoint: ChoicesEndpoint, index: number): fc.Arbitrary<CachedChoice> =>
  endpoint === 'chat'
    ? fc.record({
        index: fc.constant(index),
        finishReason: fc.constantFrom('stop', 'length', 'tool_calls'),
        message: fc.record(
          {
            role: fc.constant('assistant'),
            content: fc.option(text, { nil: null }),
            refusal: text,
            tool_calls: fc.array(fc.record({ id: text, type: fc.constant('function'), function: fc.record({ name: text, arguments: text }) }), {
              maxLength: 2,
            }),
          },
          { requiredKeys: ['role', 'content'] },
        ),
      })
    : fc.record({ index: fc.constant(index), finishReason: fc.constantFrom('stop', 'length'), text });
const completion: fc.Arbitrary<ChoicesCompletion> = fc.constantFrom<ChoicesEndpoint>('chat', 'completion').chain((endpoint) =>
  fc.record({
    endpoint: fc.constant(endpoint),
    model: text,
    systemFingerprint: fc.option(text, { nil: null }),
    choices: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => choice(endpoint, i)))),
    usage: fc.option(fc.record({ prompt_tokens: fc.nat(), completion_tokens: fc.nat(), total_tokens: fc.nat() }), { nil: undefined }),
  }),
);

describe('renderSse', () => {
  it('sends every chunk as the whole object, in order, then [DONE]', () => {
    fc.assert(
      fc.property(completion, fc.boolean(), text, (cached, includeUsage, id) => {
        const options = { id, created: 1_700_000_000, includeUsage };
        const rendered = renderSse(cached, options);
        const events = rendered.split('\n\n');
        expect(events.pop()).toBe('');
        expect(events.pop()).toBe('data: [DONE]');
        const chunks = events.map((event) => {
          expect(event.startsWith('data: ')).toBe(true);
          return event.slice('data: '.length);
        });
        // The same bytes as stringifying each whole chunk: key order included.
        expect(chunks).toEqual(expectedChunks(cached, options).map((chunk) => JSON.stringify(chunk)));
      }),
      { numRuns: 300 },
    );
  });

  it('sends the usage chunk with empty choices only when asked', () => {
    const cached: ChoicesCompletion = {
      endpoint: 'chat',
      model: 'm',
      systemFingerprint: null,
      choices: [{ index: 0, finishReason: 'stop', message: { role: 'assistant', content: 'Hi there' } }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const withUsage = renderSse(cached, { id: 'chatcmpl-1', created: 1, includeUsage: true }).split('\n\n');
    expect(withUsage.at(-3)).toBe(
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}',
    );
    expect(withUsage[0]).toBe(
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}',
    );
    const without = renderSse(cached, { id: 'chatcmpl-1', created: 1, includeUsage: false });
    expect(without).not.toContain('"usage"');
  });
});
