// Stage 5, fallbacks: anything no plane serves is 404 NOT_FOUND in the envelope.
import type { RequestHandler } from 'express';
import { notFound } from '../../errors.ts';

export const notFoundStage = (what = 'route'): RequestHandler => (req, _res, next) => next(notFound(`no ${what} for ${req.method} ${req.baseUrl}${req.path}`));
