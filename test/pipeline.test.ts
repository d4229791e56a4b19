// One pipeline for both planes (src/http/operation.ts): security before the body, and the control plane
// answered by the same validators and the same error writer as the API.
import { describe, expect, it } from 'vitest';
import { setupFake } from './helpers.ts';

const MALFORMED = '{"content": ';

describe('the operation pipeline', () => {
  it('judges credentials before the body: a malformed body without credentials is 401, with them 400', async () => {
    const { req, actor, as } = setupFake();
    const anonymous = await req('post', '/api/messages').set('Content-Type', 'application/json').send(MALFORMED);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(anonymous.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'missing Authorization header' } });

    const me = await actor();
    const authenticated = await as(me.token, 'post', '/api/messages').set('Content-Type', 'application/json').send(MALFORMED);
    expect(authenticated.status).toBe(400);
    expect(authenticated.body).toEqual({ error: { code: 'INVALID_REQUEST', message: 'malformed JSON body' } });
  });

  it('never reads a body sent to a route that does not exist', async () => {
    const { req } = setupFake();
    const res = await req('post', '/api/nope').set('Content-Type', 'application/json').send(MALFORMED);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('answers a malformed control request exactly as the API answers one: same envelope, same validator messages', async () => {
    const { req } = setupFake();
    const api = await req('post', '/api/auth/register').send({ agent_name: 7 });
    const control = await req('post', '/__fake/clock/advance').send({ seconds: 'soon' });
    for (const res of [api, control]) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(res.body)).toEqual(['error']);
      expect(Object.keys(res.body.error)).toEqual(['code', 'message']);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    expect(api.body.error.message).toBe('body/agent_name must be string');
    expect(control.body.error.message).toBe('body/seconds must be number');

    const malformed = await req('post', '/__fake/clock/advance').set('Content-Type', 'application/json').send(MALFORMED);
    expect(malformed.body).toEqual({ error: { code: 'INVALID_REQUEST', message: 'malformed JSON body' } });
    const wrongType = await req('post', '/__fake/seed').set('Content-Type', 'text/plain').send('agents: []');
    expect(wrongType.body).toEqual({ error: { code: 'INVALID_REQUEST', message: 'Content-Type must be application/json (got "text/plain")' } });
    const wrongMethod = await req('put', '/__fake/clock/advance');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });
});
