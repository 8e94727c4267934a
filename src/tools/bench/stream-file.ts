// The stream file: one JSON object per line, `{"prompt": string, "intent"?: string}`.
import { BenchInputError } from './pairs-file.js';

export interface StreamPrompt {
  readonly prompt: string;
  readonly intent: string | undefined;
}

export function parseStream(text: string, limit = Number.POSITIVE_INFINITY): StreamPrompt[] {
  const prompts: StreamPrompt[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && prompts.length < limit; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`line ${i + 1}: not JSON`);
      continue;
    }
    const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const { prompt, intent } = record;
    if (typeof prompt !== 'string' || prompt.trim() === '' || (intent !== undefined && typeof intent !== 'string')) {
      problems.push(`line ${i + 1}: expected {"prompt": string, "intent"?: string}`);
      continue;
    }
    prompts.push({ prompt, intent: intent as string | undefined });
  }
  if (problems.length > 0)
    throw new BenchInputError(`stream file: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`);
  return prompts;
}
