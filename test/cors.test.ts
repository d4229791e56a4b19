// CORS on the API plane (src/http/stages/cors.ts): preflights answered for any origin, the allow-origin
// and expose headers on every API answer (errors included, so a browser client can read the envelope,
// WWW-Authenticate and Retry-After), none on the control plane or the docs, and none at all with
// `cors: false` (`--no-cors`). The browser side is in test/browser.e2e.test.ts.
import cors from 'cors';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CORS_EXPOSED_HEADERS } from '../src/http/stages/cors.ts';
import { setupFake } from './helpers.ts';

const ORIGIN = 'http://localhost:5173';
const preflight = (req: ReturnType<typeof setupFake>['req'], path: string, method: string, headers = 'authorization,content-type,x-fluxra-tenant') =>
  req('options' as never, path).set('Origin', ORIGIN).set('Access-Control-Request-Method', method).set('Access-Control-Request-Headers', headers);

describe('CORS for browser clients', () => {
  it('answers a preflight for an API route: 204, any origin, the API methods and the client headers', async () => {
    const { req } = setupFake();
    const res = await preflight(req, '/api/messages', 'POST');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET,HEAD,POST,PUT,PATCH,DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,X-Fluxra-Tenant');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('also allows a request header beyond the three the API uses (tracing headers), as Prism does', async () => {
    const { req } = setupFake();
    const res = await preflight(req, '/api/conversations', 'GET', 'Authorization, traceparent');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,X-Fluxra-Tenant,traceparent');
  });

  it('sends Access-Control-Allow-Origin and exposes the error headers on API answers, errors included', async () => {
    const { req, actor, as } = setupFake();
    const health = await req('get', '/health').set('Origin', ORIGIN);
    expect(health.status).toBe(200);
    expect(health.headers['access-control-allow-origin']).toBe('*');

    const me = await actor();
    const ok = await as(me.token, 'get', '/api/blocks').set('Origin', ORIGIN);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('*');

    const unauthorized = await req('get', '/api/blocks').set('Origin', ORIGIN);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe('*');
    expect(unauthorized.headers['access-control-expose-headers']).toBe('WWW-Authenticate,Retry-After,Allow');
    expect(unauthorized.body.error.code).toBe('UNAUTHORIZED');

    const badTenant = await req('get', '/health').set('Origin', ORIGIN).set('X-Fluxra-Tenant', 'no spaces allowed');
    expect(badTenant.status).toBe(400);
    expect(badTenant.headers['access-control-allow-origin']).toBe('*');

    const unknown = await req('get', '/api/nope').set('Origin', ORIGIN);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
  });

  it('leaves a plain OPTIONS (no Access-Control-Request-Method) to the routes: 405 with Allow', async () => {
    const { req } = setupFake();
    const res = await req('options' as never, '/api/messages');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBeDefined();
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('never sends CORS headers from the control plane or the docs', async () => {
    const { req } = setupFake();
    const control = await preflight(req, '/__fake/reset', 'POST', 'content-type');
    expect(control.headers['access-control-allow-origin']).toBeUndefined();
    expect(control.status).not.toBe(204);
    const reset = await req('post', '/__fake/reset').set('Origin', ORIGIN).send({});
    expect(reset.headers['access-control-allow-origin']).toBeUndefined();
    const docs = await req('get', '/docs/').set('Origin', ORIGIN);
    expect(docs.status).toBe(200);
    expect(docs.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS header anywhere with cors: false (--no-cors)', async () => {
    const { req } = setupFake({ cors: false });
    const pre = await preflight(req, '/api/messages', 'POST');
    expect(pre.status).toBe(405);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const health = await req('get', '/health').set('Origin', ORIGIN);
    expect(health.status).toBe(200);
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('writes on an actual request exactly the CORS headers the cors package writes with the same options', async () => {
    // The stage sets these two headers itself (no options built per request); the package is the reference.
    const reference = express().use(cors({ origin: '*', exposedHeaders: CORS_EXPOSED_HEADERS })).get('/x', (_req, res) => void res.end());
    const cid = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => k.startsWith('access-control-') || k === 'vary'));
    const expected = cid((await request(reference).get('/x').set('Origin', ORIGIN)).headers);
    const { req } = setupFake();
    for (const [method, path] of [['get', '/health'], ['post', '/api/messages'], ['delete', '/api/blocks/blk_x']] as const) {
      expect(cid((await req(method, path).set('Origin', ORIGIN)).headers)).toEqual(expected);
    }
    expect(Object.keys(expected).sort()).toEqual(['access-control-allow-origin', 'access-control-expose-headers']);
  });
});
