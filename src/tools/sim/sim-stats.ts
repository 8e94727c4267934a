// What the simulator saw, so tests can check what the proxy sent upstream (or that it sent nothing).
// Only `/v1/*` requests are counted: reading `/sim/stats` does not change the stats.

import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_LOG_LIMIT = 100;

export interface SimRequestRecord {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; null for requests without one (or whose body did not parse). */
  body: unknown;
}

export interface SimFaultCounts {
  errors: number;
  resets: number;
  cuts: number;
  stalls: number;
}

export interface SimStats {
  total: number;
  /** Request count per URL path (no query string), e.g. `/v1/chat/completions`. */
  byPath: Record<string, number>;
  /** Responses (any status) sent to their end. */
  completed: number;
  /** Responses whose client went away before they were sent to the end. Deliberate resets and cuts
   * are counted under `faults` instead. */
  aborted: number;
  faults: SimFaultCounts;
  /** Requests answered 401 for their key (refused, or missing when keys are required). */
  unauthorized: number;
  lastHeaders: IncomingHttpHeaders | null;
  lastBody: unknown;
  /** The last REQUEST_LOG_LIMIT requests, oldest first. */
  requests: SimRequestRecord[];
}

export function createSimStats(): SimStats {
  return {
    total: 0,
    byPath: {},
    completed: 0,
    aborted: 0,
    faults: { errors: 0, resets: 0, cuts: 0, stalls: 0 },
    unauthorized: 0,
    lastHeaders: null,
    lastBody: null,
    requests: [],
  };
}

/** Resets in place: callers keep the object `buildSimApp` returned. */
export function resetSimStats(stats: SimStats): void {
  Object.assign(stats, createSimStats());
}

export function recordRequest(stats: SimStats, path: string, headers: IncomingHttpHeaders): SimRequestRecord {
  stats.total++;
  stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
  stats.lastHeaders = headers;
  const record: SimRequestRecord = { path, headers, body: null };
  stats.requests.push(record);
  if (stats.requests.length > REQUEST_LOG_LIMIT) stats.requests.shift();
  return record;
}

export function recordBody(stats: SimStats, record: SimRequestRecord, body: unknown): void {
  if (body === undefined) return;
  record.body = body;
  stats.lastBody = body;
}
