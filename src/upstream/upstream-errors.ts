// Upstream failures mapped on purpose: unreachable 502, timeout 504. Errors the upstream answers
// with (its own status and body) are not failures here: they pass through unchanged.
import { SemcacheError } from '../errors.js';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return errorCode((error as { cause?: unknown }).cause);
}

function isTimeout(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && TIMEOUT_CODES.has(code);
}

export function upstreamFailure(error: unknown, timeoutMs: number): SemcacheError {
  if (isTimeout(error)) {
    return new SemcacheError('SEMCACHE_ERR_UPSTREAM_TIMEOUT', `The upstream did not answer within ${timeoutMs} ms.`, { cause: error });
  }
  const code = errorCode(error) ?? 'unknown error';
  return new SemcacheError('SEMCACHE_ERR_UPSTREAM_UNREACHABLE', `The upstream could not be reached (${code}).`, { cause: error });
}
