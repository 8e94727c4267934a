// Sends a planned request and records what came back, the way the request's client behaves: reads
// the answer whole, drops a stream after its first chunk, reads a stream slowly (the proxy then
// has to hold back), or sends its headers a line at a time over a raw socket.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import type { Observation } from './judge.js';
import type { PlannedRequest } from './soak-plan.js';

/** Longest a soak request may take, headers or any silence in the body, before it counts as hung. */
export const CLIENT_TIMEOUT_MS = 30_000;
/** A slow reader's pause after each chunk it reads. */
const SLOW_READ_PAUSE_MS = 100;
/** A slow client's pause between header lines. */
const SLOW_HEADER_PAUSE_MS = 150;

export interface SoakClient {
  send(plan: PlannedRequest): Promise<Observation>;
  close(): Promise<void>;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value[0] : value;
  return out;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function createSoakClient(origin: string, connections: number): SoakClient {
  const agent = new Agent({ connections, keepAliveTimeout: 10_000, headersTimeout: CLIENT_TIMEOUT_MS, bodyTimeout: CLIENT_TIMEOUT_MS });

  async function viaUndici(plan: PlannedRequest): Promise<Observation> {
    const controller = new AbortController();
    let response;
    try {
      response = await agent.request({ origin, path: plan.path, method: 'POST', headers: plan.headers, body: plan.body, signal: controller.signal });
    } catch (error) {
      return { statusCode: 0, headers: {}, body: '', ending: 'none', error: message(error) };
    }
    const seen = { statusCode: response.statusCode, headers: flatHeaders(response.headers) };
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response.body) {
        chunks.push(chunk as Buffer);
        if (plan.delivery === 'abort') {
          controller.abort();
          return { ...seen, body: Buffer.concat(chunks).toString('utf8'), ending: 'aborted' };
        }
        if (plan.delivery === 'slow-read') await sleep(SLOW_READ_PAUSE_MS);
      }
    } catch (error) {
      return { ...seen, body: Buffer.concat(chunks).toString('utf8'), ending: 'cut', error: message(error) };
    }
    return { ...seen, body: Buffer.concat(chunks).toString('utf8'), ending: 'end' };
  }

  return {
    send: (plan) => (plan.delivery === 'slow-headers' ? slowHeaders(origin, plan) : viaUndici(plan)),
    close: () => agent.close(),
  };
}

/** Parses a whole HTTP/1.1 response read to the connection's close (content-length or chunked). */
export function parseRawResponse(raw: Buffer): Omit<Observation, 'ending'> & { complete: boolean } {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return { statusCode: 0, headers: {}, body: '', complete: false };
  const [statusLine = '', ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const statusCode = Number(statusLine.split(' ')[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] ??= line.slice(colon + 1).trim();
  }
  let rest = raw.subarray(split + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const eol = rest.indexOf('\r\n');
      if (eol < 0) return { statusCode, headers, body: Buffer.concat(parts).toString('utf8'), complete: false };
      const size = Number.parseInt(rest.subarray(0, eol).toString('latin1'), 16);
      if (!Number.isFinite(size)) return { statusCode, headers, body: Buffer.concat(parts).toString('utf8'), complete: false };
      if (size === 0) return { statusCode, headers, body: Buffer.concat(parts).toString('utf8'), complete: true };
      parts.push(rest.subarray(eol + 2, eol + 2 + size));
      rest = rest.subarray(eol + 2 + size + 2);
    }
  }
  const length = Number(headers['content-length'] ?? Number.NaN);
  const body = Number.isFinite(length) ? rest.subarray(0, length) : rest;
  return { statusCode, headers, body: body.toString('utf8'), complete: !Number.isFinite(length) || rest.length >= length };
}

/** A client on a slow link: the request line and each header line a pause apart, then the body. */
async function slowHeaders(origin: string, plan: PlannedRequest): Promise<Observation> {
  const url = new URL(origin);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  const received: Buffer[] = [];
  const closed = new Promise<string | undefined>((resolve) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.once('error', (error) => resolve(message(error)));
    socket.once('close', () => resolve(undefined));
  });
  socket.setTimeout(CLIENT_TIMEOUT_MS, () => socket.destroy(new Error('client timeout')));
  const lines = [
    `POST ${plan.path} HTTP/1.1`,
    `host: ${url.host}`,
    'connection: close',
    `content-length: ${plan.body.length}`,
    ...Object.entries(plan.headers).map(([n, v]) => `${n}: ${v}`),
  ];
  try {
    for (const line of lines) {
      socket.write(`${line}\r\n`);
      await sleep(SLOW_HEADER_PAUSE_MS);
    }
    socket.write('\r\n');
    socket.write(plan.body);
  } catch (error) {
    socket.destroy();
    return { statusCode: 0, headers: {}, body: '', ending: 'none', error: message(error) };
  }
  const error = await closed;
  const parsed = parseRawResponse(Buffer.concat(received));
  if (parsed.statusCode === 0) return { statusCode: 0, headers: {}, body: '', ending: 'none', error: error ?? 'no response' };
  return { statusCode: parsed.statusCode, headers: parsed.headers, body: parsed.body, ending: parsed.complete ? 'end' : 'cut', error };
}
