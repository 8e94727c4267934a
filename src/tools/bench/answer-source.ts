// Which stored prompt a served answer was made for. The bench records every answer the upstream
// gave for a stored prompt; a hit returns one of those answers verbatim. When an answer was never
// recorded (e.g. stored by an earlier request in flight), the simulated upstream's marker
// `[sim:<hash>] Answer to: <prompt> --` still names the prompt.

const MARKER = /^\[sim:[0-9a-f]{8}\] Answer to: ([\s\S]*) --/;

export interface AnswerSources<T> {
  record(answer: string, source: T): void;
  sourceOf(answer: string): T | undefined;
}

export function createAnswerSources<T>(byPrompt: (prompt: string) => T | undefined): AnswerSources<T> {
  const sources = new Map<string, T>();
  return {
    record(answer, source) {
      if (answer !== '' && !sources.has(answer)) sources.set(answer, source);
    },
    sourceOf(answer) {
      const known = sources.get(answer);
      if (known !== undefined) return known;
      // The pseudo-words after the marker never contain "--", so the greedy match ends at the marker.
      const prompt = MARKER.exec(answer)?.[1];
      return prompt === undefined ? undefined : byPrompt(prompt);
    },
  };
}
