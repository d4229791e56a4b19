// How requests enter the app (src/app.ts): API requests run the stages on Node's own request and
// response, the fake-only pages (docs, the control plane) through Express; either way the answers are
// written by src/http/respond.ts as Express's res.json/res.send wrote them. These pin what a client sees
// of that: headers and HEAD as before, the deliberate difference on `If-None-Match: *`, and the app still
// working where users put an Express app (mounted in theirs, behind app.listen).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFake } from '../src/index.ts';
import { fakePerTest } from './helpers.ts';

const ctx = fakePerTest();

describe('entry: the API on Node, the fake-only pages through Express', () => {
  it('writes a JSON answer as Express did: charset, byte length, no ETag, no X-Powered-By', async () => {
    const res = await ctx.req('get', '/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await ctx.req('get', '/health');
    const head = await request(ctx.fake.app).head('/health');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('answers a GET with If-None-Match: * in full (the fake sends no validators; Express answered 304)', async () => {
    const res = await ctx.req('get', '/health').set('If-None-Match', '*');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('healthy');
  });

  it('writes errors in the envelope on both ways in, with the right status', async () => {
    const api = await ctx.req('get', '/api/nope');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(api.body).toEqual({ error: { code: 'NOT_FOUND', message: 'no route for GET /api/nope' } });
    expect(api.headers['access-control-allow-origin']).toBe('*');
    const control = await ctx.req('get', '/__fake/nope');
    expect(control.status).toBe(404);
    expect(control.body.error.code).toBe('NOT_FOUND');
    expect(control.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the plain-text 401 quirk as text/plain; charset=utf-8', async () => {
    await ctx.req('patch', '/__fake/settings').send({ plain_text_401: true }).expect(200);
    const res = await ctx.req('get', '/api/conversations');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('Unauthorized');
  });
});

describe('entry: where users put the app', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('works mounted in another Express app: the API, the control plane and the 404s under the mount path', async () => {
    const fake = createFake();
    const outer = express();
    outer.get('/own', (_req, res) => void res.json({ own: true }));
    outer.use('/fake', fake.app);
    const agent = request(outer);
    expect((await agent.get('/own')).body).toEqual({ own: true });
    expect((await agent.get('/fake/health')).body.status).toBe('healthy');
    const registered = await agent.post('/fake/api/auth/register').send({ agent_name: 'mounted-bot' });
    expect(registered.status).toBe(201);
    expect(fake.state().stores.agents.get(registered.body.agent_id)).toBeDefined();
    const reset = await agent.post('/fake/__fake/reset').send({});
    expect(reset.status).toBe(200);
    expect(fake.state().stores.agents.get(registered.body.agent_id)).toBeUndefined();
    const missing = await agent.get('/fake/api/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('no route for GET /fake/api/nope');
  });

  it('serves through app.listen, as an Express app does', async () => {
    const fake = createFake();
    const server = fake.app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('healthy');
  });

  it('cuts the exchange and keeps serving when even the error answer cannot be written', async () => {
    const fake = createFake();
    let sabotage = true;
    const server = createServer((req, res) => {
      if (sabotage) res.setHeader = () => { throw new Error('cannot write headers'); };
      fake.app(req, res);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(fetch(url)).rejects.toThrow();
      expect(logged.mock.calls.some(([line]) => String(line).includes('could not write an error answer'))).toBe(true);
    } finally {
      logged.mockRestore();
    }
    sabotage = false;
    const res = await fetch(url);
    expect(res.status).toBe(200);
  });
});
