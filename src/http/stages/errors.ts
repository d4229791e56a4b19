// Stage 6, errors: whatever was thrown, on either plane, is answered here by the one writer.
import type { ErrorRequestHandler } from 'express';
import { ApiError } from '../../errors.ts';
import { toApiError, writeError } from '../write-error.ts';

export function errorStage(): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.code === 'INTERNAL_ERROR' && !(err instanceof ApiError)) console.error('[fluxra-fake] internal error', err);
    writeError(res, apiError, { plainText401: res.locals.tenant?.settings.plainText401 });
  };
}
