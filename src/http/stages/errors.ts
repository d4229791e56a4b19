// Stage 7, errors: whatever was thrown, on either plane, is answered here by the one writer.
import { ApiError } from '../../errors.ts';
import type { ErrorStage } from '../locals.ts';
import { toApiError, writeError } from '../write-error.ts';

export function errorStage(): ErrorStage {
  // Four parameters: Express tells an error stage by its length.
  return (err, req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.code === 'INTERNAL_ERROR' && !(err instanceof ApiError)) console.error('[fluxra-fake] internal error', err);
    writeError(req, res, apiError, { plainText401: res.locals.tenant?.settings.plainText401 });
  };
}
