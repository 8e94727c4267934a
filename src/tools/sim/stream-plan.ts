// The events of one streamed completion and when each is due, as a pure function:
// per choice, the role chunk (chat only) and the first piece when token 0 is ready, one chunk per
// piece when that token is ready, the finish chunk with the last piece; choices advance together,
// as a batched decode would. Then the usage chunk (only with include_usage). `[DONE]` is the
// writer's job, since a cut stream must not send it.

import { tokenReadyAtMs, type LatencyModel, type TimedEvent } from './latency-model.js';
import type { ChoiceResult, ChunkEncoder, CompletionKind, Usage } from './openai-format.js';

export interface StreamPlanInput {
  kind: CompletionKind;
  choices: readonly ChoiceResult[];
  encoder: ChunkEncoder;
  latency: LatencyModel;
  /** Set when `stream_options.include_usage` is true. */
  usage: Usage | null;
}

export function planStream(input: StreamPlanInput): TimedEvent[] {
  const { choices, encoder, latency } = input;
  const events: TimedEvent[] = [];
  let longest = 0;
  for (const choice of choices) longest = Math.max(longest, choice.pieces.length);
  const firstAt = tokenReadyAtMs(0, latency);
  if (input.kind === 'chat') {
    for (const choice of choices) events.push({ atMs: firstAt, data: encoder.role(choice.index, choice.toolCall) });
  }
  for (let position = 0; position < longest; position++) {
    const atMs = tokenReadyAtMs(position, latency);
    for (const choice of choices) {
      const piece = choice.pieces[position];
      if (piece === undefined) continue;
      events.push({ atMs, data: choice.toolCall === undefined ? encoder.content(choice.index, piece) : encoder.toolArguments(choice.index, piece) });
      if (position === choice.pieces.length - 1) events.push({ atMs, data: encoder.finish(choice.index, choice.finishReason) });
    }
  }
  for (const choice of choices) {
    if (choice.pieces.length === 0) events.push({ atMs: firstAt, data: encoder.finish(choice.index, choice.finishReason) });
  }
  if (input.usage !== null) {
    events.push({ atMs: tokenReadyAtMs(Math.max(0, longest - 1), latency), data: encoder.usage(input.usage) });
  }
  return events;
}
