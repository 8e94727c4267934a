// The demo's built-in workload: questions, paraphrases of them, near-misses guards must catch (the
// opposite question; the same words about other code), and another tenant asking the same. Paraphrases were chosen to score >= 0.95 under USE-lite.

export interface DemoStep {
  readonly tenant: 'alice' | 'bob';
  readonly prompt: string;
  /** What the step shows, printed in the table. */
  readonly note: string;
}

const QUESTIONS = [
  'How do I reset my password?',
  'What is the capital of France?',
  'How do I cancel my subscription?',
  'Can you explain how photosynthesis works?',
];

export const DEMO_STEPS: readonly DemoStep[] = [
  ...QUESTIONS.map((prompt) => ({ tenant: 'alice' as const, prompt, note: 'first time: upstream' })),
  { tenant: 'alice', prompt: 'How do I reset my password?', note: 'same text: exact tier' },
  { tenant: 'alice', prompt: 'How can I reset my password?', note: 'paraphrase' },
  { tenant: 'alice', prompt: "What's the capital of France?", note: 'paraphrase' },
  { tenant: 'alice', prompt: 'How can I cancel my subscription?', note: 'paraphrase' },
  { tenant: 'alice', prompt: 'Could you explain how photosynthesis works?', note: 'paraphrase' },
  { tenant: 'alice', prompt: 'How do I enable two-factor authentication?', note: 'first time: upstream' },
  { tenant: 'alice', prompt: 'How do I disable two-factor authentication?', note: 'close, but the opposite' },
  { tenant: 'alice', prompt: 'What does `x = a + b` return in Python?', note: 'first time: upstream' },
  { tenant: 'alice', prompt: 'What does `x = a - b` return in Python?', note: 'same words, other code' },
  { tenant: 'bob', prompt: 'How do I reset my password?', note: 'another API key' },
];

export const DEMO_KEYS: Readonly<Record<DemoStep['tenant'], string>> = { alice: 'sk-demo-alice', bob: 'sk-demo-bob' };
export const DEMO_MODEL = 'llama-3-70b-instruct';
