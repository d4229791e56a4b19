// Stage 4, routes: a plane's operations, one Express route each, bound to their handlers by
// operationId; a known path with another method is 405 with Allow (RFC 9110 15.5.6).
import express, { type Router } from 'express';
import { ApiError } from '../../errors.ts';
import { bindHandlers } from '../bind.ts';
import { operationHandler } from '../operation.ts';
import type { Plane } from '../plane.ts';

export function planeRouter<Env>(plane: Plane<Env>): Router {
  const bound = bindHandlers(plane.document, plane.validators.operations, plane.handlers, plane.schemes);
  const router = express.Router();
  if (plane.admit) {
    const admit = plane.admit.bind(plane);
    router.use((req, _res, next) => next(admit(req)));
  }
  if (plane.quiet) {
    const quiet = plane.quiet.bind(plane);
    router.use((req, res, next) => {
      if (quiet(req)) res.locals.quietLog = true;
      next();
    });
  }
  const methodsByPath = new Map<string, string[]>();
  for (const op of plane.validators.operations) {
    if (!op.path.startsWith(plane.prefix)) throw new Error(`${plane.document}: ${op.path} is outside the plane's prefix ${plane.prefix}`);
    const path = op.expressPath.slice(plane.prefix.length) || '/';
    router[op.method](path, operationHandler(plane, op, bound.get(op.operationId)!));
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), op.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = methods.join(', ');
    router.all(path, (_req, _res, next) => next(new ApiError('METHOD_NOT_ALLOWED', `method not allowed; use ${allow}`, { Allow: allow })));
  }
  return router;
}
