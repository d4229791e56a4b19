// Shared setup for the fake's own tests: a fresh in-process fake per test file (or per test), spoken to
// through supertest, and a hook that turns any response the fake gets wrong into a test failure.
import request from 'supertest';
import { createFake, type FakeOptions } from '../src/index.ts';
import type { ResponseViolation } from '../src/http/pipeline.ts';
import { bearer, newActor, type ActorOptions, type RequestFn } from '../contracts/lib/actors.ts';

export function setupFake(options: FakeOptions = {}) {
  const violations: ResponseViolation[] = [];
  const fake = createFake({ ...options, onResponseViolation: (v) => violations.push(v) });
  const req: RequestFn = (method, path) => request(fake.app)[method](path);
  const actor = (opts: ActorOptions = {}) => newActor(req, opts);
  /** A request with the actor's bearer token. */
  const as = (token: string, method: Parameters<RequestFn>[0], path: string) => req(method, path).set('Authorization', bearer(token));
  return { fake, req, actor, as, violations };
}
