// Bad input never earns a 500 or loses data: each answer is a clear error in the documented envelope.
import { describe, expect, it } from 'vitest';
import { bearer } from '../contracts/lib/actors.ts';
import { setupFake } from './helpers.ts';

const expectEnvelope = (res: { body: any; headers: Record<string, string> }, code: string) => {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
};

describe('bad input', () => {
  it.each([
    ['malformed JSON', 'application/json', '{"agent_name": '],
    ['a JSON string instead of an object', 'application/json', '"weather-bot"'],
    ['a JSON array', 'application/json', '[]'],
    ['a JSON null', 'application/json', 'null'],
    ['a form body', 'application/x-www-form-urlencoded', 'agent_name=abc'],
    ['plain text', 'text/plain', '{"agent_name":"abc"}'],
  ])('answers %s with 400 INVALID_REQUEST', async (_what, type, body) => {
    const { req, fake } = setupFake();
    const res = await req('post', '/api/auth/register').set('Content-Type', type).send(body);
    expect(res.status).toBe(400);
    expectEnvelope(res, 'INVALID_REQUEST');
    expect(fake.state().data.agents.agents.size).toBe(0);
  });

  it('answers a body over 1 MiB with 413 in the envelope', async () => {
    const { req } = setupFake();
    const res = await req('post', '/api/auth/register').set('Content-Type', 'application/json').send(JSON.stringify({ agent_name: 'abc', metadata: { description: 'x'.repeat(1_100_000) } }));
    expect(res.status).toBe(413);
    expectEnvelope(res, 'INVALID_REQUEST');
  });

  it('answers an unknown route with 404 and a known path with the wrong method with 405 and Allow', async () => {
    const { req } = setupFake();
    const missing = await req('get', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expectEnvelope(missing, 'NOT_FOUND');
    const wrong = await req('put', '/api/messages');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expectEnvelope(wrong, 'METHOD_NOT_ALLOWED');
  });

  it('lists every body problem at once', async () => {
    const { req, actor } = setupFake();
    const me = await actor();
    const res = await req('post', '/api/messages').set('Authorization', bearer(me.token)).send({ conversation_id: 'conv_x', content: '', type: 'html', mention: 'x' });
    expect(res.status).toBe(400);
    for (const part of ['content', 'type', 'mention']) expect(res.body.error.message).toContain(`body/${part}`);
  });

  it('answers 401 as text/plain when the documented middleware quirk is on', async () => {
    const { req } = setupFake({ plainText401: true });
    const res = await req('get', '/api/blocks');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a malformed tenant header (400) and keeps tenants apart', async () => {
    const { req } = setupFake();
    const bad = await req('get', '/health').set('X-Fluxra-Tenant', 'no spaces allowed');
    expect(bad.status).toBe(400);
    const reg = await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'team-a').send({ agent_name: 'abc' });
    const key = await req('post', `/api/agents/${reg.body.agent_id}`).set('X-Fluxra-Tenant', 'team-b').set('Authorization', `Basic ${Buffer.from(`${reg.body.agent_id}:${reg.body.recovery_key}`).toString('base64')}`).send({ name: 'x' });
    expect(key.status).toBe(401);
  });

  it('survives a burst of garbage and still serves the Quickstart afterwards', async () => {
    const { req, actor, violations } = setupFake();
    const garbage = ['{', '{"a":', '\u0000', '{"agent_name":{"$gt":""}}', JSON.stringify({ agent_name: 'a'.repeat(10_000) }), '[[[[[[[[[[]]]]]]]]]]'];
    const answers = await Promise.all(garbage.map((g) => req('post', '/api/auth/register').set('Content-Type', 'application/json').send(g)));
    expect(answers.map((a) => a.status)).toEqual(garbage.map(() => 400));
    const me = await actor();
    expect(me.token.split('.')).toHaveLength(3);
    expect(violations).toEqual([]);
  });
});

describe('request-body limits', () => {
  const nested = (levels: number) => {
    let value: Record<string, unknown> = {};
    for (let i = 1; i < levels; i++) value = { a: value };
    return value;
  };

  it('answers a body nested deeper than 64 levels 400 before anything is stored, and stays up (also with the control plane off)', async () => {
    for (const control of [true, false]) {
      const { req, fake, violations } = setupFake({ control });
      // metadata at 63 levels puts the body at 64: accepted.
      const ok = await req('post', '/api/auth/register').send({ agent_name: 'edge-bot', metadata: nested(63) });
      expect(ok.status).toBe(201);
      for (const levels of [64, 2_500]) {
        const res = await req('post', '/api/auth/register').send(JSON.stringify({ agent_name: 'deep-bot', metadata: nested(levels) })).set('Content-Type', 'application/json');
        expect(res.status).toBe(400);
        expectEnvelope(res, 'INVALID_REQUEST');
        expect(res.body.error.message).toMatch(/deeper than 64 levels/);
      }
      const brackets = '['.repeat(6_000) + ']'.repeat(6_000);
      expect((await req('post', '/nope').set('Content-Type', 'application/json').send(brackets)).status).toBe(404);
      expect((await req('post', '/api/auth/register').set('Content-Type', 'application/json').send(brackets)).status).toBe(400);
      // The close listeners (journal) have run by the time the next request is answered.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await req('get', '/health')).status).toBe(200);
      expect(fake.control.inspect().agents.map((a) => a.agent_name)).toEqual(['edge-bot']);
      expect(violations).toEqual([]);
    }
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const { req } = setupFake();
    const res = await req('post', '/api/auth/register').send({ agent_name: 'text-bot', metadata: { description: '['.repeat(900) } });
    expect(res.status).toBe(201);
  });

  it('answers a string with a lone surrogate 400; a NUL character is data', async () => {
    const { req, actor } = setupFake();
    const me = await actor();
    const conv = (await req('post', '/api/conversations').set('Authorization', bearer(me.token)).send({ type: 'group', name: 'u', members: [] })).body.conversation_id;
    const send = (raw: string) => req('post', '/api/messages').set('Authorization', bearer(me.token)).set('Content-Type', 'application/json').send(`{"conversation_id":"${conv}","content":"${raw}"}`);
    const lone = await send('half \\ud83d of an emoji');
    expect(lone.status).toBe(400);
    expect(lone.body.error.message).toMatch(/lone surrogate/);
    expect((await send('a \\ud83d\\ude00 pair')).status).toBe(201);
    const nul = await send('nul \\u0000 inside');
    expect(nul.status).toBe(201);
    expect(nul.body.content).toBe('nul \u0000 inside');
  });

  it('takes its size and depth limits from the options', async () => {
    const { req } = setupFake({ bodyLimitBytes: 2_000, maxJsonDepth: 3 });
    const big = await req('post', '/api/auth/register').send({ agent_name: 'big-bot', metadata: { description: 'x'.repeat(900), owner: 'y'.repeat(200), blob: 'z'.repeat(1_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/limit 2000 bytes/);
    expect((await req('post', '/api/auth/register').send({ agent_name: 'flat-bot', metadata: { a: { b: 1 } } })).status).toBe(201);
    const deep = await req('post', '/api/auth/register').send({ agent_name: 'deep-bot', metadata: { a: { b: {} } } });
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/deeper than 3 levels/);
  });
});

describe('getHealth', () => {
  it('answers healthy with the clock time and the docs version', async () => {
    const { req, fake, violations } = setupFake({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const res = await req('get', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy', timestamp: '2026-04-03T20:00:00Z', version: '0.4.0' });
    fake.state().clock.advance(60_000);
    expect((await req('get', '/health')).body.timestamp).toBe('2026-04-03T20:01:00Z');
    expect(violations).toEqual([]);
  });
});
