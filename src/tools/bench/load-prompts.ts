// The warm prompts of the load mode when no file is given: distinct, ordinary questions.

/** Ordinary subjects of technical questions, shared by the load and soak modes. */
export const SUBJECTS: readonly string[] = [
  'a semantic cache',
  'a vector index',
  'rate limiting',
  'TLS termination',
  'connection pooling',
  'a message queue',
  'database sharding',
  'a CDN',
  'garbage collection',
  'container scheduling',
  'DNS resolution',
  'load balancing',
  'a bloom filter',
  'consistent hashing',
  'log aggregation',
  'feature flags',
];
const TEMPLATES = ['What is {} and when should I use it?', 'How does {} work under the hood?'];

export function syntheticPrompts(count: number): string[] {
  const prompts: string[] = [];
  for (let i = 0; i < count; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length] ?? 'a cache';
    const template = TEMPLATES[Math.floor(i / SUBJECTS.length) % TEMPLATES.length] ?? '{}?';
    const round = Math.floor(i / (SUBJECTS.length * TEMPLATES.length));
    // Past the built-in list, a suffix keeps the prompts distinct for the exact tier.
    prompts.push(template.replace('{}', subject) + (round > 0 ? ` (take ${round + 1})` : ''));
  }
  return prompts;
}
