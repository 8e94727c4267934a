// What the simulated upstream answers each prompt the soak sent, so that any answer served can be
// traced to the prompt it was made for and compared with that prompt's whole answer: the
// simulator's answers begin `[sim:<tag>]`, the tag a hash of the model and the prompt.
import { createAnswerSeed, simAnswerText } from '../../sim/answer-text.js';

/** An answer served, traced: the whole answer to a prompt sent, the beginning of one only, or
 * nothing the upstream made for any prompt sent. */
export type Traced = { readonly kind: 'whole'; readonly prompt: string } | { readonly kind: 'partial'; readonly prompt: string } | { readonly kind: 'foreign' };

export interface AnswerBook {
  /** Notes a prompt about to be sent, with the answer length the simulator will give it. */
  add(prompt: string, answerTokens: number): void;
  /** The whole answer the upstream gives `prompt` (noted before). */
  expected(prompt: string): string | undefined;
  trace(content: string): Traced;
  readonly prompts: number;
}

const TAG = /^\[sim:([0-9a-f]{8})\]/;

export function createAnswerBook(model: string): AnswerBook {
  const tokens = new Map<string, number>();
  const byTag = new Map<string, string[]>();
  const answers = new Map<string, string>();

  const expected = (prompt: string): string | undefined => {
    const found = answers.get(prompt);
    if (found !== undefined) return found;
    const answerTokens = tokens.get(prompt);
    if (answerTokens === undefined) return undefined;
    const text = simAnswerText({ model, prompt, salt: '' }, { answerTokens });
    answers.set(prompt, text);
    return text;
  };

  return {
    add(prompt, answerTokens) {
      if (tokens.has(prompt)) return;
      tokens.set(prompt, answerTokens);
      const { tag } = createAnswerSeed({ model, prompt, salt: '' });
      byTag.set(tag, [...(byTag.get(tag) ?? []), prompt]);
    },
    expected,
    trace(content) {
      const tag = TAG.exec(content)?.[1];
      let partial: string | undefined;
      for (const prompt of (tag === undefined ? undefined : byTag.get(tag)) ?? []) {
        const whole = expected(prompt);
        if (whole === content) return { kind: 'whole', prompt };
        if (whole !== undefined && whole.startsWith(content)) partial = prompt;
      }
      return partial === undefined ? { kind: 'foreign' } : { kind: 'partial', prompt: partial };
    },
    get prompts() {
      return tokens.size;
    },
  };
}
