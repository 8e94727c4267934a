// The demo's Responses API part (POST /v1/responses): a question, the same again, a paraphrase,
// other instructions, the same streamed, and a follow-up that continues from the id a hit returned,
// which the upstream accepts because a hit serves the stored response's own id.
import { RESPONSE_HEADER } from '../../semcache-headers.js';

export interface ResponsesStep {
  readonly note: string;
  readonly input: string;
  readonly instructions?: string;
  readonly stream?: boolean;
  /** Continue from the response id the previous step returned. */
  readonly followUp?: boolean;
}

export const RESPONSES_STEPS: readonly ResponsesStep[] = [
  { input: 'What is a semantic cache?', note: 'first time: upstream' },
  { input: 'What is a semantic cache?', note: 'same input: exact tier' },
  { input: 'What is a semantic cache exactly?', note: 'paraphrase' },
  { input: 'What is a semantic cache?', instructions: 'Answer in one sentence.', note: 'other instructions' },
  { input: 'What is a semantic cache?', stream: true, note: 'streamed: response.* events' },
  { input: 'And how is it invalidated?', followUp: true, note: "follow-up on the hit's id" },
];

export interface ResponsesResult {
  readonly status: string;
  readonly similarity: string;
  readonly ms: number;
  readonly id: string;
  readonly answer: string;
}

interface ResponseBody {
  id?: string;
  output?: Array<{ content?: Array<{ text?: string }> }>;
  error?: { message?: string };
}

/** The response object of a body, or of the response.completed event of a stream. */
function responseOf(text: string, streamed: boolean): ResponseBody {
  if (!streamed) return JSON.parse(text) as ResponseBody;
  const completed = text
    .split('\n\n')
    .map((event) =>
      event
        .split('\n')
        .find((line) => line.startsWith('data: '))
        ?.slice('data: '.length),
    )
    .map((data) => (data === undefined ? undefined : (JSON.parse(data) as { type?: string; response?: ResponseBody })))
    .find((event) => event?.type === 'response.completed');
  return completed?.response ?? {};
}

export async function sendResponsesStep(
  baseURL: string,
  key: string,
  model: string,
  step: ResponsesStep,
  previousId: string | undefined,
): Promise<ResponsesResult> {
  const started = performance.now();
  const body = {
    model,
    input: step.input,
    ...(step.instructions === undefined ? {} : { instructions: step.instructions }),
    ...(step.stream === true ? { stream: true } : {}),
    ...(step.followUp === true && previousId !== undefined ? { previous_response_id: previousId } : {}),
  };
  const res = await fetch(`${baseURL}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const response = responseOf(await res.text(), step.stream === true);
  const text = response.output?.[0]?.content?.[0]?.text ?? response.error?.message ?? '';
  return {
    status: res.headers.get(RESPONSE_HEADER.status) ?? String(res.status),
    similarity: res.headers.get(RESPONSE_HEADER.similarity) ?? '',
    ms: performance.now() - started,
    id: response.id ?? '',
    answer: /Answer to: (.*?) --/.exec(text)?.[1] ?? text.slice(0, 40),
  };
}
