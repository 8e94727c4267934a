// What chat and legacy completion requests are keyed on. Matched by meaning: the last message's text
// parts when it is the user's, or the completion prompt. Exact context: model, system/developer
// prompt, earlier turns, the last message's other fields, tools, response_format and every parameter
// that changes the answer.
import { answerParams, type PromptParts } from './prompt-parts.js';
import type { ChatBody, ChatMessage, CompletionBody } from './types.js';

function textOfContent(content: ChatMessage['content']): { text: string; hasMedia: boolean } {
  if (typeof content === 'string') return { text: content, hasMedia: false };
  if (!Array.isArray(content)) return { text: '', hasMedia: false };
  const texts = content.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text as string);
  return { text: texts.join('\n'), hasMedia: content.some((part) => part.type !== 'text') };
}

export function chatPromptParts(body: ChatBody): PromptParts {
  const messages = body.messages;
  const last = messages[messages.length - 1];
  const earlier = messages.slice(0, -1);
  if (last === undefined || last.role !== 'user') return { context: { params: answerParams(body, 'messages'), earlier: messages }, exact: undefined };
  const { content, ...lastExtra } = last;
  const { text, hasMedia } = textOfContent(content);
  const context = { params: answerParams(body, 'messages'), earlier, lastExtra };
  return hasMedia ? { context, exact: content } : { context, text };
}

export function completionPromptParts(body: CompletionBody): PromptParts {
  const prompt = Array.isArray(body.prompt) && body.prompt.length === 1 && typeof body.prompt[0] === 'string' ? body.prompt[0] : body.prompt;
  const context = { params: answerParams(body, 'prompt') };
  return typeof prompt === 'string' ? { context, text: prompt } : { context, exact: prompt };
}
