// The error catalogue: every error the fake answers is made here, so codes, statuses and headers stay
// consistent. Codes and statuses are the documented ones (docs: conventions, agents, blocks pages);
// METHOD_NOT_ALLOWED and SERVICE_UNAVAILABLE are the fake's own (see ErrorCode in openapi.yaml).
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_AGENT_ID: 400,
  INVALID_KEY_NAME: 400,
  INVALID_TARGET: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    status?: number,
  ) {
    super(message);
    this.status = status ?? ERROR_STATUS[code];
  }
}

export const invalidRequest = (message: string) => new ApiError('INVALID_REQUEST', message);
export const invalidTarget = (message: string) => new ApiError('INVALID_TARGET', message);
export const forbidden = (message: string) => new ApiError('FORBIDDEN', message);
export const notFound = (message: string) => new ApiError('NOT_FOUND', message);
export const conflict = (message: string) => new ApiError('CONFLICT', message);

/** RFC 9110 11.6.1: a 401 names the scheme the client should use; RFC 6750 3 for Bearer's error. */
export function unauthorized(message: string, scheme: 'Basic' | 'Bearer' = 'Bearer') {
  const challenge = scheme === 'Basic' ? 'Basic realm="fluxra", charset="UTF-8"' : 'Bearer realm="fluxra", error="invalid_token"';
  return new ApiError('UNAUTHORIZED', message, { 'WWW-Authenticate': challenge });
}

export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError('RATE_LIMIT_EXCEEDED', `rate limit exceeded; retry after ${retryAfterSeconds} s`, { 'Retry-After': String(retryAfterSeconds) });

export const envelope = (code: string, message: string) => ({ error: { code, message } });
