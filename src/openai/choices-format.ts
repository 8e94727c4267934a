// The wire formats of chat completions and legacy completions: answers made of choices, streams of
// chunks ending with `data: [DONE]`, usage in a last chunk only when stream_options asks for it,
// hits served with a fresh id.
import { choicesTokens, completionFromBody, createStreamAssembler, isStorableChoices, type ChoicesEndpoint } from './cached-completion.js';
import { chatPromptParts, completionPromptParts } from './choices-prompt.js';
import { logprobsAsked } from './prompt-parts.js';
import { freshCompletionId, renderJson, renderSse } from './render-response.js';
import { ENDPOINT_PATHS, isJsonObject, type ChatBody, type CompletionBody, type JsonObject } from './types.js';
import { validateChatBody, validateCompletionBody } from './validate.js';
import { expectForm, type WireFormat } from './wire-format.js';

function choicesFormat(endpoint: ChoicesEndpoint): WireFormat {
  return {
    endpoint,
    path: ENDPOINT_PATHS[endpoint],
    validate: (body) => (endpoint === 'chat' ? { endpoint, body: validateChatBody(body) } : { endpoint, body: validateCompletionBody(body) }),
    promptParts: (body) => (endpoint === 'chat' ? chatPromptParts(body as ChatBody) : completionPromptParts(body as CompletionBody)),
    bypassReason: (body) => (logprobsAsked(body) ? 'logprobs' : undefined),
    sharable: () => true,
    includeUsage: (body) => isJsonObject(body.stream_options) && body.stream_options.include_usage === true,
    askStreamUsage(body) {
      const options: JsonObject = isJsonObject(body.stream_options) ? body.stream_options : {};
      return options.include_usage === true ? undefined : { ...body, stream_options: { ...options, include_usage: true } };
    },
    wholeRequest(body) {
      const { stream_options: _streamOptions, ...rest } = body;
      return { ...rest, stream: false };
    },
    fromBody: (body) => completionFromBody(endpoint, body),
    createAssembler: () => createStreamAssembler(endpoint),
    isStorable: (completion) => isStorableChoices(expectForm(completion, endpoint)),
    tokens: (completion) => choicesTokens(expectForm(completion, endpoint)),
    render(completion, options) {
      const choices = expectForm(completion, endpoint);
      const ids = { id: freshCompletionId(choices), created: options.created };
      return options.streamed
        ? { payload: renderSse(choices, { ...ids, includeUsage: options.includeUsage }), eventStream: true }
        : { payload: renderJson(choices, ids), eventStream: false };
    },
    answerText(completion) {
      const choices = expectForm(completion, endpoint);
      return choices.choices
        .map((choice) => (endpoint === 'chat' ? JSON.stringify([choice.message?.content ?? null, choice.message?.tool_calls ?? null]) : (choice.text ?? '')))
        .join('\n');
    },
  };
}

export const CHAT_FORMAT = choicesFormat('chat');
export const COMPLETION_FORMAT = choicesFormat('completion');
