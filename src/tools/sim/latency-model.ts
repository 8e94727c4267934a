// When each generated token is ready, as a pure function so it can be tested without clocks.
// Token k (0-based) is ready at ttftMs + k / tokensPerSecond seconds; tokensPerSecond = 0 means the
// decode is instant, so every token is ready at ttftMs. Times count from the moment the simulator
// starts generating (after any injected stall), as a real server's queue + prefill + decode would.

export interface LatencyModel {
  ttftMs: number;
  tokensPerSecond: number;
}

export function tokenReadyAtMs(position: number, model: LatencyModel): number {
  if (model.tokensPerSecond <= 0) return model.ttftMs;
  return model.ttftMs + (position * 1000) / model.tokensPerSecond;
}

/** A non-streamed answer of `tokenCount` tokens is sent when its last token is ready. */
export function answerReadyAtMs(tokenCount: number, model: LatencyModel): number {
  return tokenReadyAtMs(Math.max(0, tokenCount - 1), model);
}

export interface TimedEvent {
  atMs: number;
  /** One SSE `data:` payload (JSON text). */
  data: string;
  /** The SSE `event:` name, for streams of named events (the Responses API's). */
  name?: string;
}

/** How long to wait before the next event, given the time already spent; never negative. */
export function delayUntilMs(event: TimedEvent, elapsedMs: number): number {
  return Math.max(0, event.atMs - elapsedMs);
}
