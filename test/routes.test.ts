// Route matching (src/http/stages/routes.ts): one radix-tree lookup per request, with the rules Express's
// router had, pinned here case by case (a differential run against the Express router over every
// operation's path, 7 methods and 25 mutations each, found no difference when this router came in).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer } from '../contracts/lib/actors.ts';
import { fakePerFile } from './helpers.ts';

const ctx = fakePerFile();
const me = await ctx.actor();
const conv = (await ctx.as(me.token, 'post', '/api/conversations').send({ type: 'group', name: 'routes', members: [] })).body;
const sent = (await ctx.as(me.token, 'post', '/api/messages').send({ conversation_id: conv.conversation_id, content: 'hi' })).body;

type Case = [what: string, method: 'get' | 'post' | 'patch' | 'delete' | 'head' | 'options' | 'put', url: string, status: number, code: string | null, allow?: string];
const cases: Case[] = [
  ['a known route', 'get', '/api/blocks', 200, null],
  ['letter case ignored', 'get', '/API/BLOCKS', 200, null],
  ['one trailing slash ignored', 'get', '/api/blocks/', 200, null],
  ['duplicate slashes are no route', 'get', '//api/blocks', 404, 'NOT_FOUND'],
  ['a duplicate slash inside is no route', 'get', '/api//blocks', 404, 'NOT_FOUND'],
  ['fixed segments match as written, not decoded', 'get', '/api/%62locks', 404, 'NOT_FOUND'],
  ['HEAD is the GET operation', 'head', '/api/blocks', 200, null],
  ['another method of a known path: 405 with Allow', 'put', '/api/blocks', 405, 'METHOD_NOT_ALLOWED', 'GET, POST'],
  ['a plain OPTIONS: 405 with Allow', 'options', `/api/conversations/${conv.conversation_id}/messages`, 405, 'METHOD_NOT_ALLOWED', 'GET'],
  ['an unknown path: 404', 'get', '/api/nothing-here', 404, 'NOT_FOUND'],
  ['a parameter, percent-decoded once', 'get', `/api/conversations/${encodeURIComponent(conv.conversation_id).replace('c', '%63')}`, 200, null],
  ['%2F stays inside its parameter', 'get', '/api/conversations/conv%2Fx', 404, 'NOT_FOUND'],
  ['a doubly escaped parameter is decoded once only', 'get', `/api/conversations/${conv.conversation_id.replace('c', '%2563')}`, 404, 'NOT_FOUND'],
  ['a malformed escape in a parameter: 400', 'get', '/api/conversations/%zz', 400, 'INVALID_REQUEST'],
  ['a malformed escape in a parameter of a path without that method: 400 too', 'put', '/api/conversations/%zz', 400, 'INVALID_REQUEST'],
  ['an empty parameter is no route', 'delete', '/api/blocks//', 404, 'NOT_FOUND'],
  ['a parameter longer than routers usually allow still reaches the operation (its shape is checked: 400)', 'get', `/api/conversations/conv_${'a'.repeat(300)}`, 400, 'INVALID_REQUEST'],
  ['an operation of a templated path comes before a 405 of a fixed one', 'patch', '/api/messages/unread', 404, 'NOT_FOUND'],
  ['a message by its id', 'patch', `/api/messages/${sent.message_id}`, 200, null],
  ['a query string is not part of the path', 'get', '/api/blocks?limit=5', 200, null],
];

describe('route matching', () => {
  it.each(cases)('%s: %s %s -> %i', async (_what, method, url, status, code, allow) => {
    const res = await request(ctx.fake.app)[method](url).set('Authorization', bearer(me.token)).set('Content-Type', 'application/json').send(method === 'patch' ? { content: 'edited' } : undefined);
    expect(res.status).toBe(status);
    if (method !== 'head') expect(res.body.error?.code ?? null).toBe(code);
    if (allow) expect(res.headers.allow).toBe(allow);
  });

  it('routes the control plane under its prefix the same way', async () => {
    expect((await ctx.req('get', '/__fake/CLOCK')).status).toBe(200);
    expect((await ctx.req('delete', '/__fake/clock')).status).toBe(405);
    expect((await ctx.req('get', '/__fake/%63lock')).status).toBe(404);
  });

  it('enters the fake-only pages by their first path segment, letter case ignored, and nothing else', async () => {
    expect((await ctx.req('get', '/DOCS/')).status).toBe(200);
    expect((await ctx.req('get', '/__FAKE/docs/')).status).toBe(200);
    const near = await ctx.req('get', '/docsx');
    expect(near.status).toBe(404);
    expect(near.body.error.code).toBe('NOT_FOUND');
    // an asset the docs do not have falls through to the API's 404, with the API's CORS headers
    const missing = await ctx.req('get', '/docs/nothing.css').set('Origin', 'http://localhost:5173');
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
  });
});
