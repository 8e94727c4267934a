// The soak's checking logic on small cases, with bodies the simulated upstream really sends: a whole
// answer passes, the beginning of one is a partial answer served, another prompt's answer on a
// miss or an error without OpenAI's shape is unexpected, and each injected fault or bad input has
// its expected error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimApp, type SimApp } from '../../../src/tools/sim/sim-app.js';
import { createAnswerBook, type AnswerBook } from '../../../src/tools/bench/soak/answer-book.js';
import { auditEntry } from '../../../src/tools/bench/soak/entry-audit.js';
import { judge, type Asked, type Expectation, type Observation } from '../../../src/tools/bench/soak/judge.js';
import { parseRawResponse } from '../../../src/tools/bench/soak/soak-client.js';
import { paraphraseOf } from '../../../src/tools/bench/soak/soak-prompts.js';

const MODEL = 'sim-model';
const Q = 'How does a CDN work under the hood?';
const OTHER = 'What is consistent hashing and when should I use it?';

let sim: SimApp;
let book: AnswerBook;
beforeAll(() => {
  sim = buildSimApp();
  book = createAnswerBook(MODEL);
  for (const prompt of [Q, OTHER]) book.add(prompt, 48);
});
afterAll(async () => {
  await sim.app.close();
});

/** What the simulator sends for the prompt: a whole JSON body or a whole SSE stream. */
async function upstreamBody(prompt: string, stream: boolean): Promise<string> {
  const response = await sim.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    payload: { model: MODEL, messages: [{ role: 'user', content: prompt }], stream },
  });
  return response.body;
}

const asked = (prompt: string | undefined, stream: boolean, expect: Expectation = { kind: 'answer' }): Asked => ({
  prompt,
  stream,
  expect,
  sameGroup: (p) => p === prompt || (prompt !== undefined && p === paraphraseOf(prompt, 0)),
});
const seen = (statusCode: number, body: string, cache?: string, ending: Observation['ending'] = 'end'): Observation => ({
  statusCode,
  headers: cache === undefined ? {} : { 'x-semcache-status': cache },
  body,
  ending,
});

describe('soak judge', () => {
  it('passes a whole answer, streamed or not, miss or hit', async () => {
    expect(judge(asked(Q, false), seen(200, await upstreamBody(Q, false), 'miss'), book)).toEqual({
      outcome: 'answered',
      cacheStatus: 'miss',
      wrongHit: false,
    });
    expect(judge(asked(Q, true), seen(200, await upstreamBody(Q, true), 'exact-hit'), book)).toEqual({
      outcome: 'answered',
      cacheStatus: 'exact-hit',
      wrongHit: false,
    });
  });

  it("passes a paraphrase's hit with the original's answer, and notes a hit from another question as a wrong hit", async () => {
    const paraphrase = paraphraseOf(Q, 0);
    expect(judge(asked(paraphrase, false), seen(200, await upstreamBody(Q, false), 'semantic-hit'), book)).toMatchObject({
      outcome: 'answered',
      wrongHit: false,
    });
    expect(judge(asked(Q, false), seen(200, await upstreamBody(OTHER, false), 'semantic-hit'), book)).toMatchObject({ outcome: 'answered', wrongHit: true });
  });

  it('calls the beginning of an answer served as whole a partial answer', async () => {
    const whole = await upstreamBody(Q, false);
    const content = (JSON.parse(whole) as { choices: [{ message: { content: string } }] }).choices[0].message.content;
    const cut = whole.replace(content, content.slice(0, 40));
    expect(judge(asked(Q, false), seen(200, cut, 'exact-hit'), book)).toMatchObject({ outcome: 'partial' });
    // A stream that says [DONE] after losing its last pieces.
    const events = (await upstreamBody(Q, true)).split('\n\n').filter(Boolean);
    const shortened = [...events.slice(0, 5), ...events.slice(-2)].join('\n\n') + '\n\n';
    expect(judge(asked(Q, true), seen(200, shortened, 'exact-hit'), book)).toMatchObject({ outcome: 'partial' });
  });

  it("calls another prompt's answer on a miss, a stream cut without a fault, and an error outside OpenAI's shape unexpected", async () => {
    expect(judge(asked(Q, false), seen(200, await upstreamBody(OTHER, false), 'miss'), book)).toMatchObject({
      outcome: 'unexpected',
      cause: 'answerOfAnotherPrompt',
    });
    const cut = (await upstreamBody(Q, true)).split('\n\n').slice(0, 4).join('\n\n');
    expect(judge(asked(Q, true), seen(200, cut, 'miss', 'cut'), book)).toMatchObject({ outcome: 'unexpected', cause: 'streamCut' });
    expect(judge(asked(undefined, false, { kind: 'bad-body' }), seen(400, '<html>Bad Request</html>'), book)).toMatchObject({
      outcome: 'unexpected',
      cause: 'errorNotInOpenAIShape',
    });
    expect(judge(asked(Q, false), seen(500, '{"error":{"message":"x","type":"api_error","param":null,"code":"SEMCACHE_ERR_INTERNAL"}}'), book)).toMatchObject({
      outcome: 'unexpected',
      cause: 'status500',
    });
    expect(judge(asked(Q, false), { statusCode: 0, headers: {}, body: '', ending: 'none', error: 'ECONNRESET' }, book)).toMatchObject({
      outcome: 'unexpected',
      cause: 'noResponse',
    });
  });

  it('expects each injected fault and bad input to end in its own error, and a refused key never to be answered', async () => {
    const error = (code: string) => JSON.stringify({ error: { message: 'm', type: 't', param: null, code } });
    const cases: Array<[Expectation, Observation, string]> = [
      [{ kind: 'upstream-error', status: 503 }, seen(503, error('sim_injected_error')), 'upstreamError'],
      [{ kind: 'upstream-timeout' }, seen(504, error('SEMCACHE_ERR_UPSTREAM_TIMEOUT')), 'upstreamTimeout'],
      [{ kind: 'upstream-reset' }, seen(502, error('SEMCACHE_ERR_UPSTREAM_UNREACHABLE')), 'upstreamReset'],
      [{ kind: 'upstream-cut' }, seen(200, (await upstreamBody(Q, true)).split('\n\n').slice(0, 3).join('\n\n'), 'miss', 'cut'), 'upstreamCut'],
      [{ kind: 'client-abort' }, seen(200, 'data: {}', 'miss', 'aborted'), 'clientAbort'],
      [{ kind: 'bad-body' }, seen(413, error('SEMCACHE_ERR_REQUEST_TOO_LARGE')), 'badBody'],
      [{ kind: 'key-refused' }, seen(401, error('invalid_api_key')), 'keyRefused'],
    ];
    for (const [expectation, observation, cause] of cases)
      expect(judge(asked(Q, true, expectation), observation, book)).toEqual({ outcome: 'client-error', cause });
    expect(judge(asked(Q, false, { kind: 'key-refused' }), seen(200, await upstreamBody(Q, false), 'exact-hit'), book)).toMatchObject({
      outcome: 'unexpected',
      cause: 'refusedKeyAnswered',
    });
    // A fault that did not fire (the answer came from the cache) is fine, if the answer is whole.
    expect(judge(asked(Q, false, { kind: 'upstream-timeout' }), seen(200, await upstreamBody(Q, false), 'exact-hit'), book)).toMatchObject({
      outcome: 'answered',
    });
  });

  it('audits an entry: the whole finished answer to its own prompt, nothing else', async () => {
    const content = (JSON.parse(await upstreamBody(Q, false)) as { choices: [{ message: { content: string } }] }).choices[0].message.content;
    const entry = (prompt: string, text: string, finishReason = 'stop') => ({
      id: 1,
      prompt,
      completion: { choices: [{ finishReason, message: { content: text } }] },
    });
    expect(auditEntry(entry(Q, content), book)).toBeUndefined();
    expect(auditEntry(entry(Q, content.slice(0, 30), ''), book)).toBe('finished by ""');
    expect(auditEntry(entry(Q, content.slice(0, 30)), book)).toBe(`the beginning of the answer to ${JSON.stringify(Q)}`);
    expect(auditEntry(entry(OTHER, content), book)).toBe(`the answer to ${JSON.stringify(Q)}`);
    expect(auditEntry(entry(Q, 'Simulated upstream error 500'), book)).toBe('an answer the upstream never gave');
  });

  it('reads a raw HTTP response, chunked or with a length, and tells a cut body', () => {
    const chunked = Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nx-semcache-status: miss\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    expect(parseRawResponse(chunked)).toEqual({
      statusCode: 200,
      headers: { 'transfer-encoding': 'chunked', 'x-semcache-status': 'miss' },
      body: 'hello world',
      complete: true,
    });
    const short = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello');
    expect(parseRawResponse(short)).toMatchObject({ body: 'hello', complete: false });
  });
});
