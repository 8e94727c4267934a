// Rendering a streamed hit (renderSse): the event-loop time to turn a cached 3,000-token chat answer
// (2,250 words, 750 chunks, 180 KB of events) into its SSE text, warm, in this process.
//
//   npm run build && node bench/render-sse.mjs [--renders 200]
import { parseArgs } from 'node:util';
import { renderSse } from '../dist/openai/render-response.js';

const { values: args } = parseArgs({ options: { renders: { type: 'string', default: '200' } } });
const renders = Number(args.renders);
const content = Array.from({ length: 2250 }, (_, i) => `word${i % 97}`).join(' ');
const completion = {
  endpoint: 'chat',
  model: 'gpt-4o-mini',
  systemFingerprint: 'fp_bench',
  choices: [{ index: 0, finishReason: 'stop', message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 10, completion_tokens: 3000, total_tokens: 3010 },
};
const options = { id: 'chatcmpl-bench', created: 1_700_000_000, includeUsage: true };
for (let i = 0; i < 50; i++) renderSse(completion, options);
const times = [];
let bytes = 0;
for (let i = 0; i < renders; i++) {
  const started = performance.now();
  bytes = renderSse(completion, options).length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log(
  `renderSse, 3,000-token answer (${bytes} bytes): p50 ${times[Math.floor(renders / 2)].toFixed(2)} ms, p99 ${times[Math.floor(renders * 0.99)].toFixed(2)} ms over ${renders} renders`,
);
