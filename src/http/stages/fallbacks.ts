// Stage 6, fallbacks: anything no plane serves is 404 NOT_FOUND in the envelope.
import { notFound } from '../../errors.ts';
import { requestPath, type Stage } from '../locals.ts';

export const notFoundStage = (what = 'route'): Stage => (req, _res, next) => next(notFound(`no ${what} for ${req.method} ${requestPath(req)}`));
