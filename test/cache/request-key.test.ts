import { describe, expect, it } from 'vitest';
import { MAX_NORMALISED_CHARS, requestKey } from '../../src/cache/request-key.js';
import type { CacheableRequest, ChatMessage } from '../../src/openai/types.js';

const scope = { tenant: 't', embedderId: 'e', query: '' };
const chat = (content: ChatMessage['content']): CacheableRequest => ({ endpoint: 'chat', body: { model: 'm', messages: [{ role: 'user', content }] } });

describe('requestKey', () => {
  it('embeds the text with whitespace collapsed and keeps its layout for the guards', () => {
    const key = requestKey(chat('Why?\nfor x in xs:\n    print(x)   \n'), scope);
    expect(key.semanticText).toBe('Why? for x in xs: print(x)');
    expect(key.promptText).toBe('Why?\nfor x in xs:\n    print(x)');
  });

  it('has neither text when only the exact tier may serve the request', () => {
    const key = requestKey(
      chat([
        { type: 'image_url', image_url: { url: 'data:,' } },
        { type: 'text', text: 'What is this?' },
      ]),
      scope,
    );
    expect(key.semanticText).toBeUndefined();
    expect(key.promptText).toBeUndefined();
  });

  it('keys two prompts differing only in indentation apart', () => {
    const a = requestKey(chat('for x in xs:\n    print(x)\n    break'), scope);
    const b = requestKey(chat('for x in xs:\n    print(x)\nbreak'), scope);
    expect(a.semanticText).toBe(b.semanticText);
    expect(a.exactKey).not.toBe(b.exactKey);
  });

  it('keys a field named __proto__ like any other', () => {
    const body = (extra: string): CacheableRequest['body'] =>
      JSON.parse(`{"model":"m","messages":[{"role":"user","content":"x"}],"__proto__":${extra}}`) as CacheableRequest['body'];
    const a = requestKey({ endpoint: 'chat', body: body('{"temperature":0}') } as CacheableRequest, scope);
    const b = requestKey({ endpoint: 'chat', body: body('{"temperature":1}') } as CacheableRequest, scope);
    expect(a.exactKey).not.toBe(b.exactKey);
  });

  it('keys a prompt too long to normalise as sent, for the exact tier only (NFKC of 7.5 MB took 13 s)', () => {
    const long = `${'\ufdfa'.repeat(MAX_NORMALISED_CHARS)} and more`;
    const key = requestKey(chat(long), scope);
    expect(key.semanticText).toBeUndefined();
    expect(key.promptText).toBeUndefined();
    expect(key.exactKey).toBe(requestKey(chat(long), scope).exactKey);
    expect(key.exactKey).not.toBe(requestKey(chat(`${long}!`), scope).exactKey);
  });
});
