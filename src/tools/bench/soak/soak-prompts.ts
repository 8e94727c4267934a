// The prompts of a soak: new ones (from a prompts file, then numbered questions that never repeat),
// repeats of prompts already asked, and paraphrases of them that the exact tier keeps apart but
// that mean the same (a case change, a doubled space, a trailing blank). A prompt and its
// paraphrases form a group: a hit from another group is a wrong hit (a precision figure, which the
// soak reports but does not judge).
import type { Prng } from '../../sim/prng.js';
import { SUBJECTS } from '../load-prompts.js';

const TEMPLATES = [
  'What is {} and when should I use it?',
  'How does {} work under the hood?',
  'What are common mistakes with {}?',
  'How do I monitor {} in production?',
];
/** Prompts asked again are drawn from the most recent ones, which are likely still cached. */
const RECENT = 2_000;

export interface SoakPrompts {
  /** A prompt never asked before. */
  fresh(): string;
  /** A prompt asked before (a fresh one when none was). */
  repeat(): string;
  /** Another wording of a prompt asked before. */
  paraphrase(): string;
  /** Whether two prompts are wordings of one question. */
  sameGroup(a: string, b: string): boolean;
}

/** Numbered, so that two of them differ in a number (the numbers guard keeps them apart). */
export function numberedPrompt(n: number): string {
  const subject = SUBJECTS[n % SUBJECTS.length] ?? 'a cache';
  const template = TEMPLATES[Math.floor(n / SUBJECTS.length) % TEMPLATES.length] ?? '{}?';
  return `Soak question ${n}: ${template.replace('{}', subject)}`;
}

/** Wordings the exact tier tells apart and the embedder barely does. */
export function paraphraseOf(prompt: string, pick: number): string {
  const first = prompt.charAt(0);
  const swapped = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
  const variants = [`${swapped}${prompt.slice(1)}`, prompt.replace(' ', '  '), `${prompt} `];
  return variants[pick % variants.length] ?? prompt;
}

export function createSoakPrompts(options: { fromFile: readonly string[]; next: Prng; prefix: string }): SoakPrompts {
  const { next } = options;
  const group = new Map<string, number>();
  const recent: string[] = [];
  let fresh = 0;

  const remember = (prompt: string, id: number): string => {
    if (!group.has(prompt)) group.set(prompt, id);
    return prompt;
  };
  const pickRecent = (): string | undefined => recent[Math.floor(next() * recent.length)];
  const newPrompt = (): string => {
    const n = fresh++;
    const text = n < options.fromFile.length ? (options.fromFile[n] ?? '') : numberedPrompt(n);
    const prompt = remember(`${options.prefix}${text}`, group.size);
    recent.push(prompt);
    if (recent.length > RECENT) recent.shift();
    return prompt;
  };
  return {
    fresh: newPrompt,
    repeat: () => pickRecent() ?? newPrompt(),
    paraphrase() {
      const original = pickRecent() ?? newPrompt();
      return remember(paraphraseOf(original, Math.floor(next() * 3)), group.get(original) ?? -1);
    },
    sameGroup: (a, b) => a === b || (group.has(a) && group.get(a) === group.get(b)),
  };
}
