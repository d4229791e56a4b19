// The error catalogue, at the bottom of the house (it imports nothing): every error either plane answers
// is made here, so codes, statuses, headers and the envelope stay consistent. Codes and statuses are the
// documented ones (docs: conventions, agents, blocks pages; see ErrorCode in openapi.yaml);
// METHOD_NOT_ALLOWED and SERVICE_UNAVAILABLE are the fake's own. Rendering lives in one place too:
// src/http/write-error.ts.
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

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);

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

/** The catalogue read backwards: the first code of a status (a 4xx without its own code is INVALID_REQUEST, a 5xx INTERNAL_ERROR). */
export function codeForStatus(status: number): ErrorCode {
  const found = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((code) => ERROR_STATUS[code] === status);
  return found ?? (status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST');
}

export const invalidRequest = (message: string) => new ApiError('INVALID_REQUEST', message);
export const invalidTarget = (message: string) => new ApiError('INVALID_TARGET', message);
export const forbidden = (message: string) => new ApiError('FORBIDDEN', message);
export const notFound = (message: string) => new ApiError('NOT_FOUND', message);
export const conflict = (message: string) => new ApiError('CONFLICT', message);
/** A cap of the fake's (src/defaults.ts) reached: 409, the request conflicts with what is already held. */
export const limitReached = (what: string, limit: number) => new ApiError('CONFLICT', `limit reached: at most ${limit} ${what}`);
export const serviceUnavailable = (message: string, headers: Record<string, string> = {}) => new ApiError('SERVICE_UNAVAILABLE', message, headers);
export const internalError = (message = 'internal error') => new ApiError('INTERNAL_ERROR', message);

export type ChallengeScheme = 'Basic' | 'Bearer';

/** RFC 9110 11.6.1: a 401 names the scheme the client should use; RFC 6750 3 for Bearer's error. */
export const challenge = (scheme: ChallengeScheme) =>
  scheme === 'Basic' ? 'Basic realm="fluxra", charset="UTF-8"' : 'Bearer realm="fluxra", error="invalid_token"';

export const unauthorized = (message: string, scheme: ChallengeScheme = 'Bearer') =>
  new ApiError('UNAUTHORIZED', message, { 'WWW-Authenticate': challenge(scheme) });

/** RFC 9110 10.2.3: a 429 (and a 503) says when to come back. */
export const rateLimited = (retryAfterSeconds: number, message = `rate limit exceeded; retry after ${retryAfterSeconds} s`) =>
  new ApiError('RATE_LIMIT_EXCEEDED', message, { 'Retry-After': String(retryAfterSeconds) });

/** The documented envelope (docs, conventions): {"error":{"code","message"}}. */
export const envelope = (code: string, message: string) => ({ error: { code, message } });
