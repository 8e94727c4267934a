// The parts of OpenAI's request and response bodies semcache reads. Fields it does not know are
// kept as they are (vLLM and TGI accept extra sampling parameters) and still forwarded.

export type JsonObject = Record<string, unknown>;

export type Endpoint = 'chat' | 'completion' | 'responses';

export const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  chat: '/v1/chat/completions',
  completion: '/v1/completions',
  responses: '/v1/responses',
};

export interface ContentPart extends JsonObject {
  type: string;
  text?: string;
}

export interface ChatMessage extends JsonObject {
  role: string;
  content?: string | ContentPart[] | null;
}

export interface ChatBody extends JsonObject {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } & JsonObject;
}

export interface CompletionBody extends JsonObject {
  model: string;
  prompt: string | string[] | number[] | number[][];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } & JsonObject;
}

/** A Responses API request (POST /v1/responses). `input` is a string or a list of items (messages
 * with `input_text` / media parts, function call outputs, item references...). */
export interface ResponsesBody extends JsonObject {
  model: string;
  input?: string | JsonObject[];
  instructions?: string | null;
  stream?: boolean;
  stream_options?: JsonObject;
  store?: boolean;
  previous_response_id?: string | null;
}

export type CacheableRequest =
  | { readonly endpoint: 'chat'; readonly body: ChatBody }
  | { readonly endpoint: 'completion'; readonly body: CompletionBody }
  | { readonly endpoint: 'responses'; readonly body: ResponsesBody };

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [extra: string]: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
