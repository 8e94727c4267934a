// The Responses API's wire format (POST /v1/responses): a response object with output items, a
// stream of named response.* events whose last one carries the whole response and its usage, and
// hits served with the stored response's own id (cached-response.ts says why).
import { createResponseAssembler, isStorableResponse, responseAnswerText, responseFromBody, responseTokens } from './cached-response.js';
import { renderResponseEvents } from './render-responses.js';
import { responsesBypassReason, responsesPromptParts, responsesSharable, validateResponsesBody } from './responses-request.js';
import { ENDPOINT_PATHS, type ResponsesBody } from './types.js';
import { expectForm, type WireFormat } from './wire-format.js';

export const RESPONSES_FORMAT: WireFormat = {
  endpoint: 'responses',
  path: ENDPOINT_PATHS.responses,
  validate: (body) => ({ endpoint: 'responses', body: validateResponsesBody(body) }),
  promptParts: (body) => responsesPromptParts(body as ResponsesBody),
  bypassReason: (body) => responsesBypassReason(body as ResponsesBody),
  sharable: (body) => responsesSharable(body as ResponsesBody),
  // The usage is always in response.completed: there is nothing to ask, and no chunk to drop.
  includeUsage: () => true,
  askStreamUsage: () => undefined,
  // Not stored: the client's conversation at the upstream should not gain a response it never saw.
  wholeRequest(body) {
    const { stream_options: _streamOptions, ...rest } = body;
    return { ...rest, stream: false, store: false };
  },
  fromBody: responseFromBody,
  createAssembler: createResponseAssembler,
  isStorable: (completion) => isStorableResponse(expectForm(completion, 'responses')),
  tokens: (completion) => responseTokens(expectForm(completion, 'responses')),
  render(completion, options) {
    const cached = expectForm(completion, 'responses');
    return options.streamed ? { payload: renderResponseEvents(cached), eventStream: true } : { payload: cached.response, eventStream: false };
  },
  answerText: (completion) => responseAnswerText(expectForm(completion, 'responses')),
};
