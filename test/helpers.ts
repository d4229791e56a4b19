// Shared setup for the fake's own tests: an in-process fake spoken to through supertest, and a hook
// that turns any response the fake gets wrong (one its own document does not describe) into a failure.
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import { bearer, newActor, type ActorOptions, type RequestFn } from '../contracts/lib/actors.ts';
import { createFake, type FakeOptions, type ResponseViolation } from '../src/index.ts';

export function setupFake(options: FakeOptions = {}) {
  const violations: ResponseViolation[] = [];
  const fake = createFake({ ...options, onResponseViolation: (v) => violations.push(v) });
  const req: RequestFn = (method, path) => request(fake.app)[method](path);
  const actor = (opts: ActorOptions = {}) => newActor(req, opts);
  /** A request with the actor's bearer token. */
  const as = (token: string, method: Parameters<RequestFn>[0], path: string) => req(method, path).set('Authorization', bearer(token));
  return { fake, req, actor, as, violations };
}

export type FakeContext = ReturnType<typeof setupFake>;

/** One fake for the whole file; after every test, none of its responses may have broken the spec. */
export function fakePerFile(options: FakeOptions = {}): FakeContext {
  const ctx = setupFake(options);
  afterEach(() => expect(ctx.violations).toEqual([]));
  return ctx;
}

/**
 * A fresh fake for every test (the same object, refilled after each test, so helpers defined at the top
 * of a file keep working); `restart(options)` gives the current test one with other options.
 */
export function fakePerTest(options: FakeOptions = {}) {
  const ctx = { ...setupFake(options), restart: (other: FakeOptions) => Object.assign(ctx, setupFake({ ...options, ...other })) };
  afterEach(() => {
    expect(ctx.violations).toEqual([]);
    Object.assign(ctx, setupFake(options));
  });
  return ctx;
}
