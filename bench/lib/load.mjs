// The load generator: an undici Pool with keep-alive per target, one request at a time for latency,
// N in flight for throughput. A request is timed until its whole body (every SSE event) is read.
import { Pool } from 'undici';

export function createClient(origin, connections) {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
}

/** `request` = { path, headers, body }; resolves with the elapsed ms, the status, headers and text. */
export async function send(client, request) {
  const started = performance.now();
  const response = await client.request({ method: 'POST', path: request.path, headers: request.headers, body: request.body });
  const text = await response.body.text();
  return { ms: performance.now() - started, statusCode: response.statusCode, headers: response.headers, text };
}

function checker(check) {
  const problems = [];
  return {
    problems,
    see(result, request) {
      const problem = result.statusCode !== 200 ? `status ${result.statusCode}: ${result.text.slice(0, 200)}` : check?.(result, request);
      if (problem && problems.length < 20) problems.push(problem);
      else if (problem) problems.push('…');
    },
  };
}

/** One request at a time: the latency of each, in ms. `next(i)` gives the i-th request. */
export async function latencyRun(client, next, count, check) {
  const seen = checker(check);
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const request = next(i);
    const result = await send(client, request);
    seen.see(result, request);
    latencies[i] = result.ms;
  }
  return { latencies, problems: seen.problems };
}

/** `concurrency` requests in flight until `count` are done: requests per second, and latencies. */
export async function throughputRun(client, next, count, concurrency, check) {
  const seen = checker(check);
  const latencies = new Float64Array(count);
  let issued = 0;
  const started = performance.now();
  async function lane() {
    while (issued < count) {
      const i = issued++;
      const request = next(i);
      const result = await send(client, request);
      seen.see(result, request);
      latencies[i] = result.ms;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { rps: count / seconds, latencies, problems: seen.problems };
}

export function chatRequest(content, { stream = false, includeUsage = false, headers = {}, model = 'sim-model' } = {}) {
  const body = { model, messages: [{ role: 'user', content }] };
  if (stream) body.stream = true;
  if (includeUsage) body.stream_options = { include_usage: true };
  return {
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-key', ...headers },
    body: JSON.stringify(body),
  };
}
