// Properties of request keys, over generated bodies: two bodies the proxy must treat as the same
// request (key order, JSON whitespace, delivery-only fields, the prompt's trailing blanks and line
// endings, a one-prompt array) get one key, and a change to anything that changes the answer (any
// field but the delivery ones, the model, any message, the prompt's text, the tenant, the query)
// gets another. The bodies go through the same parse and validation as a request's bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestKey, type RequestKey } from '../../src/cache/request-key.js';
import { parseJsonBody, validateModel } from '../../src/openai/validate.js';
import { wireFormatOf } from '../../src/openai/wire-formats.js';
import type { Endpoint, JsonObject } from '../../src/openai/types.js';
import { createPrng, type Prng } from '../../src/tools/sim/prng.js';

/** Reads a body as the cached routes do (pipeline/completion-routes.ts). */
function validateRequest(endpoint: Endpoint, body: ReturnType<typeof parseJsonBody>) {
  validateModel(body);
  return wireFormatOf(endpoint).validate(body);
}

/** Bounded so that `npm test` stays fast: each property runs in well under a second. */
const RUNS = { numRuns: 200 };
const SCOPE = { tenant: 'key:0123456789abcdef', embedderId: 'use-lite', query: '' };

/** README, "How a request is matched": fields that say how the answer is delivered, not what it is. */
const DELIVERY: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  stream: fc.boolean(),
  stream_options: fc.record({ include_usage: fc.boolean() }),
  user: fc.string({ maxLength: 12 }),
  metadata: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  store: fc.boolean(),
  service_tier: fc.constantFrom('auto', 'default', 'flex'),
  safety_identifier: fc.string({ maxLength: 12 }),
  prompt_cache_key: fc.string({ maxLength: 12 }),
  prompt_cache_retention: fc.constantFrom('in-memory', '24h'),
};

/** Fields that change the answer, with values of their documented types; vLLM's extras included. */
const ANSWER_PARAMS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  top_p: fc.double({ min: 0, max: 1, noNaN: true }),
  n: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer(),
  stop: fc.oneof(fc.string({ maxLength: 5 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
  max_tokens: fc.integer({ min: 1, max: 4096 }),
  max_completion_tokens: fc.integer({ min: 1, max: 4096 }),
  presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
  frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
  logit_bias: fc.dictionary(fc.integer({ min: 0, max: 50_000 }).map(String), fc.integer({ min: -100, max: 100 }), { minKeys: 1, maxKeys: 3 }),
  tools: fc.array(
    fc.record({
      type: fc.constant('function'),
      function: fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), parameters: fc.jsonValue({ maxDepth: 2 }) }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  tool_choice: fc.constantFrom('auto', 'none', 'required'),
  response_format: fc.constantFrom({ type: 'json_object' }, { type: 'text' }),
  top_k: fc.integer({ min: 1, max: 100 }),
  repetition_penalty: fc.double({ min: 0.5, max: 2, noNaN: true }),
};

const STRUCTURAL = new Set(['model', 'messages', 'prompt']);
/** Fields the validator checks the type of: a random value there is a 400, not another key. */
const TYPED = new Set([...Object.keys(ANSWER_PARAMS), 'top_logprobs']);
const WORDS = ['What', 'is', 'the', 'rate', 'of', 'HNSW', 'my', 'card', '3²', '32', 'x₁', 'naïve', 'Café', 'ﬁle', 'miles', 'km', '?', 'print(x)', 'not'];
const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
const anyText = fc.oneof(text, fc.string({ minLength: 1, maxLength: 24 }));

/** A subset of `fields`, each with a generated value. */
function someOf(fields: Readonly<Record<string, fc.Arbitrary<unknown>>>): fc.Arbitrary<JsonObject> {
  return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<JsonObject>;
}

const message = (role: string) => fc.record({ role: fc.constant(role), content: anyText });
const chatBody: fc.Arbitrary<JsonObject> = fc
  .record({
    model: fc.constantFrom('gpt-4o-mini', 'llama-3-8b', 'meta-llama/Llama-3.1-8B'),
    system: fc.option(message('system'), { nil: undefined }),
    earlier: fc.array(fc.tuple(message('user'), message('assistant')), { maxLength: 2 }),
    last: anyText,
    params: someOf(ANSWER_PARAMS),
  })
  .map(({ model, system, earlier, last, params }) => ({
    model,
    messages: [...(system === undefined ? [] : [system]), ...earlier.flat(), { role: 'user', content: last }],
    ...params,
  }));
const completionBody: fc.Arbitrary<JsonObject> = fc
  .record({ model: fc.constant('gpt-3.5-turbo-instruct'), prompt: anyText, params: someOf(ANSWER_PARAMS) })
  .map(({ model, prompt, params }) => ({ model, prompt, ...params }));

/** JSON as a client might write it: keys in any order at every depth, whitespace between tokens. */
function looseJson(value: unknown, next: Prng): string {
  const space = (): string => [' ', '', '\n', '\t', '\r\n  ', ''][Math.floor(next() * 6)] ?? '';
  if (Array.isArray(value)) return `[${space()}${value.map((item) => looseJson(item, next)).join(`${space()},${space()}`)}${space()}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return `{${space()}${entries.map(([k, v]) => `${JSON.stringify(k)}${space()}:${space()}${looseJson(v, next)}`).join(`${space()},`)}${space()}}`;
}

/** The key of a request's bytes, read as the proxy reads them. */
function keyOfBytes(endpoint: Endpoint, bytes: string, scope = SCOPE): RequestKey {
  return requestKey(validateRequest(endpoint, parseJsonBody(Buffer.from(bytes, 'utf8'))), scope);
}

function keyOf(endpoint: Endpoint, body: JsonObject, scope = SCOPE): RequestKey {
  return keyOfBytes(endpoint, JSON.stringify(body), scope);
}

/** Data equality, written apart from the code under test: keys sorted at every depth. */
function sameData(a: unknown, b: unknown): boolean {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, c]) => [k, sorted(c)]),
          )
        : v;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function withField(body: JsonObject, name: string, value: unknown): JsonObject {
  // fromEntries defines the field as data, even one named __proto__.
  return Object.fromEntries([...Object.entries(body).filter(([k]) => k !== name), ...(value === undefined ? [] : [[name, value]])]);
}

function expectSameKey(a: RequestKey, b: RequestKey): void {
  expect(b.exactKey).toBe(a.exactKey);
  expect(b.context).toBe(a.context);
  expect(b.semanticText).toBe(a.semanticText);
}

/** A field that changes the answer: a known parameter with a value of its type, or any other name. */
const answerField = fc.oneof(
  fc.constantFrom(...Object.keys(ANSWER_PARAMS)).chain((name) => fc.tuple(fc.constant(name), ANSWER_PARAMS[name]!)),
  fc.tuple(
    fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !(name in DELIVERY) && !STRUCTURAL.has(name) && !TYPED.has(name)),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);

describe('request keys (property)', () => {
  it('one key whatever the key order and whitespace of the JSON, and whatever delivery fields are sent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Endpoint>('chat', 'completion'),
        chatBody,
        completionBody,
        someOf(DELIVERY),
        someOf(DELIVERY),
        fc.integer(),
        (endpoint, chat, completion, first, second, seed) => {
          const body = endpoint === 'chat' ? chat : completion;
          const next = createPrng(seed);
          expectSameKey(keyOfBytes(endpoint, looseJson({ ...body, ...first }, next)), keyOfBytes(endpoint, looseJson({ ...body, ...second }, next)));
        },
      ),
      RUNS,
    );
  });

  it("one key whatever the prompt's line endings, trailing blanks of its lines and blank lines around it", () => {
    const layout = fc.record({
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      trailing: fc.array(fc.constantFrom('', ' ', '\t', '  '), { minLength: 4, maxLength: 4 }),
      around: fc.constantFrom('', '\n', '\n \n', '\r\n\r\n'),
    });
    fc.assert(
      fc.property(chatBody, fc.array(text, { minLength: 1, maxLength: 4 }), layout, (body, lines, { eol, trailing, around }) => {
        const messages = body.messages as Array<{ role: string; content: string }>;
        const ask = (content: string): RequestKey => keyOf('chat', { ...body, messages: [...messages.slice(0, -1), { role: 'user', content }] });
        const spaced = lines.map((line, i) => `${line}${trailing[i % trailing.length] ?? ''}`).join(eol);
        expectSameKey(ask(lines.join('\n')), ask(`${around}${spaced}${around}`));
      }),
      RUNS,
    );
  });

  it('one key for a completion prompt and the same prompt as a one-element array', () => {
    fc.assert(
      fc.property(completionBody, (body) => {
        expectSameKey(keyOf('completion', body), keyOf('completion', { ...body, prompt: [body.prompt] }));
      }),
      RUNS,
    );
  });

  it('another key when any field that changes the answer is added, changed or removed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Endpoint>('chat', 'completion'),
        chatBody,
        completionBody,
        answerField,
        fc.boolean(),
        (endpoint, chat, completion, [name, value], remove) => {
          const body = endpoint === 'chat' ? chat : completion;
          const changed = remove ? withField(body, name, undefined) : withField(body, name, value);
          fc.pre(!sameData(body, changed));
          const before = keyOf(endpoint, body);
          const after = keyOf(endpoint, changed);
          expect(after.context).not.toBe(before.context);
          expect(after.exactKey).not.toBe(before.exactKey);
        },
      ),
      RUNS,
    );
  });

  it('another key when the model, an earlier message or the system prompt changes', () => {
    fc.assert(
      fc.property(chatBody, fc.nat(), anyText, (body, pick, replacement) => {
        const messages = body.messages as Array<{ role: string; content: string }>;
        const changes: JsonObject[] = [{ ...body, model: `${String(body.model)}-2` }];
        const index = pick % messages.length;
        if (index < messages.length - 1 && messages[index]?.content !== replacement) {
          changes.push({ ...body, messages: messages.map((m, i) => (i === index ? { ...m, content: replacement } : m)) });
        }
        changes.push({ ...body, messages: [{ role: 'developer', content: replacement }, ...messages] });
        const before = keyOf('chat', body);
        for (const changed of changes) expect(keyOf('chat', changed).exactKey).not.toBe(before.exactKey);
      }),
      RUNS,
    );
  });

  it("another exact key when the prompt's text changes, and another context for another tenant or query", () => {
    fc.assert(
      fc.property(chatBody, fc.nat(), fc.constantFrom('Z', '0', 'é', '.', 'x'), (body, at, inserted) => {
        const messages = body.messages as Array<{ role: string; content: string }>;
        const last = messages.at(-1)?.content ?? '';
        const position = at % (last.length + 1);
        const edited = {
          ...body,
          messages: [...messages.slice(0, -1), { role: 'user', content: `${last.slice(0, position)}${inserted}${last.slice(position)}` }],
        };
        const before = keyOf('chat', body);
        expect(keyOf('chat', edited).exactKey).not.toBe(before.exactKey);
        expect(keyOf('chat', body, { ...SCOPE, tenant: 'shared:faq' }).context).not.toBe(before.context);
        expect(keyOf('chat', body, { ...SCOPE, query: 'api-version=2024-06-01' }).context).not.toBe(before.context);
      }),
      RUNS,
    );
  });
});
