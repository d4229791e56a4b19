// The spec-driven guarantees themselves: startup refuses a handler map that does not match the spec's
// operationIds, and an answer the spec does not document never leaves the fake.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { apiPlane } from '../src/api.ts';
import { createApp } from '../src/app.ts';
import type { ApiHandlerMap } from '../src/domains/define.ts';
import { handlers } from '../src/domains/index.ts';
import type { ResponseViolation } from '../src/http/plane.ts';
import { createValidators, type SpecValidators } from '../src/spec/validators.ts';
import { createTenancy } from '../src/tenant/tenancy.ts';

const validators = createValidators();
const app = (v: SpecValidators, map: ApiHandlerMap, onResponseViolation: (v: ResponseViolation) => void = () => {}) =>
  createApp({ tenancy: createTenancy(), planes: { api: apiPlane({ validators: v, handlers: map, onResponseViolation }) } });
const build = (map: ApiHandlerMap, onResponseViolation?: (v: ResponseViolation) => void) => app(validators, map, onResponseViolation);

describe('binding handlers by operationId', () => {
  it('binds every operation of openapi.yaml to exactly one handler', () => {
    expect(Object.keys(handlers).sort()).toEqual(validators.operations.map((op) => op.operationId).sort());
  });

  it('refuses to start when an operation has no handler', () => {
    const { getHealth: _omitted, ...rest } = handlers;
    expect(() => build(rest)).toThrow(/operations without a handler: getHealth/);
  });

  it('refuses to start when an operation names a security scheme that has no verifier', () => {
    const [first, ...rest] = validators.operations;
    const broken = { ...validators, operations: [{ ...first, security: [{ schemes: [{ name: 'oauthMagic', scopes: [] }] }] }, ...rest] };
    expect(() => app(broken, handlers)).toThrow(/security schemes without a verifier: getHealth \(oauthMagic\)/);
  });

  it('refuses to start when a handler names no operation', () => {
    expect(() => build({ ...handlers, getHelth: handlers.getHealth })).toThrow(/handlers without an operation in openapi.yaml: getHelth/);
  });
});

describe('response self-check', () => {
  it.each([
    ['an undocumented status', () => ({ status: 418, body: { status: 'teapot' } })],
    ['a body missing a required field', () => ({ status: 200, body: { status: 'healthy', version: '0.4.0' } })],
    ['a field of the wrong type', () => ({ status: 200, body: { status: 'healthy', timestamp: 'yesterday', version: '0.4.0' } })],
  ])('turns %s into a 500 INTERNAL_ERROR and reports it', async (_what, handler) => {
    const seen: ResponseViolation[] = [];
    const app = build({ ...handlers, getHealth: handler }, (v) => seen.push(v));
    const res = await request(app).get('/health');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
    expect(seen).toHaveLength(1);
    expect(seen[0].operationId).toBe('getHealth');
  });

  it('lets a documented answer through untouched', async () => {
    const seen: ResponseViolation[] = [];
    const res = await request(build(handlers, (v) => seen.push(v))).get('/health');
    expect(res.status).toBe(200);
    expect(seen).toEqual([]);
  });
});
