// The simulator's token counts. Real servers count with the model's tokenizer; the simulator only
// needs numbers that are deterministic, cheap and in the right range, so it uses the common rule of
// thumb for English BPE vocabularies: about 4 characters per token, rounded up.
//
// Chat prompts add OpenAI's documented framing overhead (the cookbook's "counting tokens for chat"):
// 3 tokens per message, 1 more when the message has a `name`, and 3 that prime the assistant's reply.
//
// Completion tokens are not estimated: they are the number of pieces the simulator generated
// (answer-text.ts), one piece per token.

export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface CountableMessage {
  role: string;
  /** The message's text (text parts joined); other parts do not count. */
  text: string;
  name?: string | undefined;
}

export function estimateChatPromptTokens(messages: readonly CountableMessage[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + estimateTextTokens(message.role) + estimateTextTokens(message.text);
    if (message.name !== undefined) total += TOKENS_PER_NAME + estimateTextTokens(message.name);
  }
  return total;
}
