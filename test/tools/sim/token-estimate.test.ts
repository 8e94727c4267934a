import { describe, expect, it } from 'vitest';
import { estimateChatPromptTokens, estimateTextTokens } from '../../../src/tools/sim/token-estimate.js';

describe('token estimate', () => {
  it('counts about four characters per token, rounded up', () => {
    expect([estimateTextTokens(''), estimateTextTokens('abc'), estimateTextTokens('abcd'), estimateTextTokens('abcde')]).toEqual([0, 1, 1, 2]);
  });

  it('adds 3 tokens per chat message and 3 for the reply priming', () => {
    // user: 1 (role) + 3 (11 chars) + 3 framing; system: 2 + 2 + 3; priming 3
    const tokens = estimateChatPromptTokens([
      { role: 'system', text: 'Be brief' },
      { role: 'user', text: 'hello there' },
    ]);
    expect(tokens).toBe(3 + (3 + 2 + 2) + (3 + 1 + 3));
  });

  it('adds 1 token plus the name for a named message', () => {
    const named = estimateChatPromptTokens([{ role: 'user', text: 'hi', name: 'alice' }]);
    const anonymous = estimateChatPromptTokens([{ role: 'user', text: 'hi' }]);
    expect(named - anonymous).toBe(1 + 2);
  });
});
