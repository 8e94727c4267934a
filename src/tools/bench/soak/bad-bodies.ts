// Bodies no OpenAI server should accept, as a fuzzer would send them: cut JSON, JSON that is not an
// object, fields of the wrong type, empty arrays, unknown roles, bodies nested too deep, a model id
// that is too long, random bytes, a body over the size limit. Each must get a 4xx in OpenAI's error
// shape, never a 5xx and never an answer.
import type { Prng } from '../../sim/prng.js';

export interface BadBody {
  readonly name: string;
  readonly endpoint: 'chat' | 'completion';
  readonly body: Buffer;
  readonly contentType: string;
}

const chat = (fields: Record<string, unknown>): string => JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: 'Hello?' }], ...fields });

type Maker = (next: Prng, limitBytes: number) => Omit<BadBody, 'contentType'> & { contentType?: string };

const MAKERS: readonly Maker[] = [
  (next) => {
    const text = chat({ temperature: 0.5 });
    return { name: 'cut JSON', endpoint: 'chat', body: Buffer.from(text.slice(0, 1 + Math.floor(next() * (text.length - 2)))) };
  },
  () => ({ name: 'empty body', endpoint: 'chat', body: Buffer.alloc(0) }),
  (next) => ({ name: 'not an object', endpoint: 'chat', body: Buffer.from(['[]', 'null', '42', '"text"', 'true'][Math.floor(next() * 5)] ?? '[]') }),
  () => ({ name: 'model not a string', endpoint: 'chat', body: Buffer.from(chat({ model: 42 })) }),
  () => ({ name: 'messages not an array', endpoint: 'chat', body: Buffer.from(chat({ messages: 'Hello?' })) }),
  () => ({ name: 'no messages', endpoint: 'chat', body: Buffer.from(chat({ messages: [] })) }),
  () => ({ name: 'unknown role', endpoint: 'chat', body: Buffer.from(chat({ messages: [{ role: 'wizard', content: 'x' }] })) }),
  () => ({ name: 'content part without type', endpoint: 'chat', body: Buffer.from(chat({ messages: [{ role: 'user', content: [{ text: 'x' }] }] })) }),
  (next) => ({
    name: 'temperature not a number',
    endpoint: 'chat',
    body: Buffer.from(chat({ temperature: ['hot', {}, [1]][Math.floor(next() * 3)] ?? 'hot' })),
  }),
  () => ({ name: 'n below 1', endpoint: 'chat', body: Buffer.from(chat({ n: 0 })) }),
  () => ({ name: 'stream not a boolean', endpoint: 'chat', body: Buffer.from(chat({ stream: 'yes' })) }),
  () => ({ name: 'model id too long', endpoint: 'chat', body: Buffer.from(chat({ model: 'm'.repeat(300) })) }),
  (next) => ({ name: 'nested too deep', endpoint: 'chat', body: Buffer.from(`{"model":"m","messages":${'['.repeat(65 + Math.floor(next() * 500))}`) }),
  () => ({ name: 'no prompt', endpoint: 'completion', body: Buffer.from('{"model":"sim-model"}') }),
  () => ({ name: 'prompt of mixed types', endpoint: 'completion', body: Buffer.from('{"model":"sim-model","prompt":["a",1,{"b":2}]}') }),
  (next) => ({
    name: 'random bytes',
    endpoint: next() < 0.5 ? 'chat' : 'completion',
    body: Buffer.from(Array.from({ length: 1 + Math.floor(next() * 256) }, () => Math.floor(next() * 256))),
  }),
  () => ({
    name: 'invalid UTF-8 in JSON',
    endpoint: 'chat',
    body: Buffer.concat([
      Buffer.from('{"model":"sim-model","messages":[{"role":"user","content":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
      Buffer.from('x'),
    ]),
  }),
  (_next, limitBytes) => ({
    name: 'over the body limit',
    endpoint: 'chat',
    body: Buffer.from(chat({ messages: [{ role: 'user', content: 'x'.repeat(limitBytes + 1) }] })),
  }),
];

export const BAD_BODY_KINDS = MAKERS.length;

/** The bad body of kind `index` (0 to BAD_BODY_KINDS - 1); `limitBytes` is the proxy's
 * SEMCACHE_BODY_LIMIT_BYTES. */
export function badBodyAt(index: number, next: Prng, limitBytes: number): BadBody {
  const maker = MAKERS[index % MAKERS.length] ?? MAKERS[0]!;
  return { contentType: 'application/json', ...maker(next, limitBytes) };
}

/** A bad body of a kind chosen by `next`. */
export function badBody(next: Prng, limitBytes: number): BadBody {
  return badBodyAt(Math.floor(next() * MAKERS.length), next, limitBytes);
}
