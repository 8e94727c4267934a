// Every error semcache itself produces, rendered in OpenAI's error shape
// {"error":{"message","type","param","code"}} (all four keys present, as the SDKs expect).
// Errors the upstream produced are never rewritten: they pass through with their own status and body.

export interface ErrorSpec {
  readonly status: number;
  readonly type: string;
}

export const ERROR_CODES = {
  SEMCACHE_ERR_REQUEST_INVALID_JSON: { status: 400, type: 'invalid_request_error' },
  SEMCACHE_ERR_REQUEST_INVALID_PARAM: { status: 400, type: 'invalid_request_error' },
  SEMCACHE_ERR_REQUEST_MISSING_PARAM: { status: 400, type: 'invalid_request_error' },
  SEMCACHE_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE: { status: 415, type: 'invalid_request_error' },
  SEMCACHE_ERR_REQUEST_TOO_LARGE: { status: 413, type: 'invalid_request_error' },
  SEMCACHE_ERR_REQUEST_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  SEMCACHE_ERR_UPSTREAM_UNREACHABLE: { status: 502, type: 'api_error' },
  SEMCACHE_ERR_UPSTREAM_TIMEOUT: { status: 504, type: 'api_error' },
  SEMCACHE_ERR_UPSTREAM_NOT_CONFIGURED: { status: 503, type: 'api_error' },
  SEMCACHE_ERR_UPSTREAM_BAD_RESPONSE: { status: 502, type: 'api_error' },
  SEMCACHE_ERR_ADMIN_UNAUTHORIZED: { status: 401, type: 'authentication_error' },
  SEMCACHE_ERR_ADMIN_DISABLED: { status: 404, type: 'invalid_request_error' },
  SEMCACHE_ERR_ADMIN_ENTRY_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  SEMCACHE_ERR_CACHE_THRESHOLD_OUT_OF_BOUNDS: { status: 400, type: 'invalid_request_error' },
  SEMCACHE_ERR_EMBED_LOAD_FAILED: { status: 500, type: 'api_error' },
  SEMCACHE_ERR_EMBED_FAILED: { status: 503, type: 'api_error' },
  SEMCACHE_ERR_SERVER_SHUTTING_DOWN: { status: 503, type: 'api_error' },
  SEMCACHE_ERR_INTERNAL: { status: 500, type: 'api_error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export class SemcacheError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;

  constructor(code: ErrorCode, message: string, options: { param?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SemcacheError';
    this.code = code;
    this.param = options.param ?? null;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toBody(): OpenAIErrorBody {
    return errorBody(this.code, this.message, this.param);
  }
}

export function errorBody(code: ErrorCode, message: string, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type: ERROR_CODES[code].type, param, code } };
}

export function isSemcacheError(value: unknown): value is SemcacheError {
  return value instanceof SemcacheError;
}
