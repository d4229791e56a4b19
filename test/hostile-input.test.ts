// The hostile-input catalogue: one table, each case with the exact status and error code the fake must
// answer, against one fake started on loopback (malformed HTTP goes over a raw socket). Every case ends
// by checking that the process still answers and that a known agent's data is intact: its token works,
// its conversation still holds its message, its profile is unchanged, nothing polluted a prototype.
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { startFake, type RunningFake } from '../src/index.ts';
import { validatorsFor } from '../src/spec/validators.ts';
import { rawRequest } from './support/raw-http.ts';

interface Answer {
  status: number;
  body: any;
  text: string;
}
interface Known {
  agentId: string;
  recoveryKey: string;
  apiKey: string;
  keyId: string;
  token: string;
  conv: string;
  msg: string;
  direct: string;
  block: string;
}
interface Case {
  name: string;
  status: number;
  /** the envelope's code; null: a success, no envelope */
  code: string | null;
  send(): Promise<Answer>;
}

let fake: RunningFake;
let K: Known; // the known agent, whose data every case checks
let O: Known; // another agent, whose objects K must not reach
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function http(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...(options.headers ?? {}) };
    if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    const req = httpRequest(`${fake.url}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode!, body, text });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => http(method, path, { headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const asK = (method: string, path: string, body?: unknown) => (body === undefined ? http(method, path, { headers: { Authorization: bearer(K.token) } }) : json(method, path, body, { Authorization: bearer(K.token) }));
const raw = async (bytes: string | Buffer | (string | Buffer)[]) => {
  const res = await rawRequest(fake.url, bytes, { timeoutMs: 3_000 });
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = res.body;
  }
  return { status: res.status, body, text: res.text };
};
const HOST = () => `Host: ${new URL(fake.url).host}\r\n`;
const nest = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

async function seedAgent(name: string): Promise<Known> {
  const out = await fake.control.seed({
    agents: [{ ref: name, agent_name: name, keys: [{ token: true }] }, { ref: `${name}-peer`, agent_name: `${name}-peer` }, { ref: `${name}-blocked`, agent_name: `${name}-blocked` }],
    conversations: [
      { ref: `${name}-room`, name: `${name} room`, created_by: name, members: [`${name}-peer`], messages: [{ from: name, content: `${name} was here` }] },
      { ref: `${name}-dm`, type: 'direct', created_by: name, members: [`${name}-peer`] },
    ],
    blocks: [{ owner: name, target: `${name}-blocked` }],
  });
  const a = out.agents[name] as { agent_id: string; recovery_key: string; keys: { key_id: string; api_key: string; access_token: string }[] };
  const room = out.conversations[`${name}-room`] as { conversation_id: string; message_ids: string[] };
  return {
    agentId: a.agent_id, recoveryKey: a.recovery_key, apiKey: a.keys[0].api_key, keyId: a.keys[0].key_id, token: a.keys[0].access_token,
    conv: room.conversation_id, msg: room.message_ids[0], direct: (out.conversations[`${name}-dm`] as { conversation_id: string }).conversation_id, block: out.blocks[0].block_id,
  };
}

beforeAll(async () => {
  fake = await startFake({ port: 0, seed: 'hostile', headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
  K = await seedAgent('known');
  O = await seedAgent('other');
  await asK('PATCH', `/api/agents/${K.agentId}/profile`, { intro: 'the known agent' });
});
afterAll(async () => {
  agent.destroy();
  await fake.close({ gracePeriodMs: 0 });
});

// ---- the catalogue ----

const jwt = async (claims: Record<string, unknown>, key: Uint8Array, alg = 'HS256') =>
  new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setIssuer('fluxra-fake').setSubject(String(claims.sub ?? K.agentId)).setJti('j1').sign(key);

const malformedJson: Case[] = [
  ['an unterminated object', '{"agent_name": '],
  ['a truncated body', '{"agent_name":"abc-bot"'],
  ['a trailing comma', '{"agent_name":"abc-bot",}'],
  ['single quotes', "{'agent_name':'abc-bot'}"],
  ['garbage after the value', '{"agent_name":"abc-bot"}garbage'],
  ['NaN', '{"agent_name":NaN}'],
  ['a bare string', '"abc-bot"'],
  ['an array', '[{"agent_name":"abc-bot"}]'],
  ['null', 'null'],
  ['a number', '42'],
  ['a raw NUL byte', '{"agent_name":"abc\u0000"}'.replace('\\u0000', '\u0000')],
  ['a control character in a string', '{"agent_name":"ab\tc"}'],
  ['an invalid escape', '{"agent_name":"\\x41bc"}'],
].map(([what, body]) => ({ name: `registerAgent with ${what}: 400`, status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', body) }));

const contentTypes: Case[] = [
  ['text/plain', 'text/plain'],
  ['a form', 'application/x-www-form-urlencoded'],
  ['multipart', 'multipart/form-data; boundary=x'],
  ['XML', 'application/xml'],
  ['latin1 JSON', 'application/json; charset=latin1'],
  ['UTF-16 JSON', 'application/json; charset=utf-16'],
].map(([what, type]) => ({ name: `registerAgent with ${what}: 400`, status: 400, code: 'INVALID_REQUEST', send: () => http('POST', '/api/auth/register', { headers: { 'Content-Type': type }, body: '{"agent_name":"type-bot"}' }) }));

const depthAndSize: Case[] = [
  { name: 'a body nested 65 levels: 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', `{"agent_name":"deep-bot","metadata":${nest(64)}}`) },
  { name: 'metadata nested 2,500 levels: 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', `{"agent_name":"deep-bot","metadata":${nest(2_500)}}`) },
  { name: '6,000 nested brackets to registerAgent: 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', '['.repeat(6_000) + ']'.repeat(6_000)) },
  { name: '6,000 nested brackets to an unknown path: 404 (never read)', status: 404, code: 'NOT_FOUND', send: () => json('POST', '/nope', '['.repeat(6_000) + ']'.repeat(6_000)) },
  { name: 'deep nesting to sendMessage: 400', status: 400, code: 'INVALID_REQUEST', send: () => asK('POST', '/api/messages', `{"conversation_id":"x","content":"x","mention":${'['.repeat(100)}${']'.repeat(100)}}`) },
  { name: 'deep nesting to the control plane (seed): 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/__fake/seed', `{"agents":[{"agent_name":"deep-bot","metadata":${nest(1_000)}}]}`, { 'X-Fluxra-Tenant': 'hostile-seed' }) },
  { name: 'deep nesting to the control plane (restore): 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/__fake/restore', `{"format":"fluxra-fake-snapshot","version":2,"tenant":"x","clock":{"now":"2026-01-01T00:00:00Z","frozen":true},"data":${nest(3_000)}}`, { 'X-Fluxra-Tenant': 'hostile-restore' }) },
  { name: 'brackets inside a string do not count: 201', status: 201, code: null, send: () => json('POST', '/api/auth/register', { agent_name: 'text-bot', metadata: { description: '['.repeat(900) } }) },
  { name: 'a body over 1 MiB: 413', status: 413, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', { agent_name: 'big-bot', metadata: { blob: 'x'.repeat(1_100_000) } }) },
  { name: '2 MiB of whitespace: 413', status: 413, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', ' '.repeat(2 * 1024 * 1024)) },
  { name: '10,000 members in one request: 400', status: 400, code: 'INVALID_REQUEST', send: () => asK('POST', '/api/conversations', { type: 'group', name: 'huge', members: Array(10_000).fill(K.agentId) }) },
  { name: '101 agent_ids to add: 400', status: 400, code: 'INVALID_REQUEST', send: () => asK('POST', `/api/conversations/${K.conv}/members`, { agent_ids: Array(101).fill(O.agentId) }) },
  { name: '5,000 mentions: 400', status: 400, code: 'INVALID_REQUEST', send: () => asK('POST', '/api/messages', { conversation_id: K.conv, content: 'x', mention: Array(5_000).fill(K.agentId) }) },
  { name: 'content of 10,001 characters: 400', status: 400, code: 'INVALID_REQUEST', send: () => asK('POST', '/api/messages', { conversation_id: K.conv, content: 'x'.repeat(10_001) }) },
  { name: 'an array of 100,000 numbers as a body: 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', JSON.stringify(Array(100_000).fill(0))) },
];

const prototypeKeys: Case[] = [
  { name: '"__proto__" at the top of a register body: 201, no pollution', status: 201, code: null, send: () => json('POST', '/api/auth/register', '{"agent_name":"proto-bot","__proto__":{"polluted":true}}') },
  { name: '"__proto__" in metadata: 201, stored as data', status: 201, code: null, send: () => json('POST', '/api/auth/register', '{"agent_name":"proto-bot","metadata":{"__proto__":{"polluted":true}}}') },
  { name: '"constructor.prototype" in metadata: 201', status: 201, code: null, send: () => json('POST', '/api/auth/register', '{"agent_name":"ctor-bot","metadata":{"constructor":{"prototype":{"polluted":true}}}}') },
  { name: '"__proto__" and an unknown field in a block body: 201, both ignored', status: 201, code: null, send: () => asK('POST', '/api/blocks', `{"target_id":"${O.agentId}","__proto__":{"polluted":true},"extra":1}`) },
  { name: '"__proto__" in a restored snapshot: 400', status: 400, code: 'INVALID_REQUEST', send: async () => json('POST', '/__fake/restore', JSON.stringify(fake.control.snapshot({ tenant: 'proto' })).replace('"data":{', '"data":{"__proto__":{"polluted":true},'), { 'X-Fluxra-Tenant': 'proto' }) },
  { name: '"__proto__" as a query parameter: 200', status: 200, code: null, send: () => asK('GET', '/api/blocks?__proto__=x&constructor=y') },
  { name: 'a tenant named __proto__: 200', status: 200, code: null, send: () => http('GET', '/health', { headers: { 'X-Fluxra-Tenant': '__proto__' } }) },
  { name: 'a tenant named constructor, in the control plane: 200', status: 200, code: null, send: () => http('GET', '/__fake/clock', { headers: { 'X-Fluxra-Tenant': 'constructor' } }) },
];

const unicode: Case[] = [
  { name: 'a lone high surrogate in content: 400', status: 400, code: 'INVALID_REQUEST', send: () => asK('POST', '/api/messages', `{"conversation_id":"${K.conv}","content":"a\\ud800b"}`) },
  { name: 'a lone low surrogate in a metadata key: 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', '{"agent_name":"sur-bot","metadata":{"\\udc00":1}}') },
  { name: 'a surrogate pair (an emoji) in content: 201', status: 201, code: null, send: () => asK('POST', '/api/messages', `{"conversation_id":"${K.conv}","content":"\\ud83d\\ude00"}`) },
  { name: 'an escaped NUL in content: 201', status: 201, code: null, send: () => asK('POST', '/api/messages', `{"conversation_id":"${K.conv}","content":"nul \\u0000 here"}`) },
  { name: 'a NUL in agent_name: 400', status: 400, code: 'INVALID_REQUEST', send: () => json('POST', '/api/auth/register', '{"agent_name":"ab\\u0000c"}') },
  { name: 'invalid UTF-8 bytes in a string: 400', status: 400, code: 'INVALID_REQUEST', send: () => http('POST', '/api/auth/register', { body: Buffer.concat([Buffer.from('{"agent_name":"ab'), Buffer.from([0xff, 0xfe]), Buffer.from('c"}')]) }) },
  { name: 'right-to-left override in a conversation name: 201', status: 201, code: null, send: () => asK('POST', '/api/conversations', { type: 'group', name: 'evil\u202egpj.exe', members: [] }) },
  { name: 'a NUL in a path id: 404', status: 404, code: 'NOT_FOUND', send: () => asK('GET', '/api/conversations/%00') },
];

const headersAndUrls: Case[] = [
  { name: 'a 20 KB header: 431', status: 431, code: 'INVALID_REQUEST', send: () => raw(`GET /health HTTP/1.1\r\n${HOST()}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`) },
  { name: 'a 20 KB URL: 431', status: 431, code: 'INVALID_REQUEST', send: () => raw(`GET /api/directory?q=${'a'.repeat(20_000)} HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: '2,000 small headers: 431', status: 431, code: 'INVALID_REQUEST', send: () => raw(`GET /health HTTP/1.1\r\n${HOST()}${Array.from({ length: 2_000 }, (_, i) => `X-Header-Number-${String(i).padStart(4, '0')}: value\r\n`).join('')}\r\n`) },
  { name: 'a query over its maxLength: 400', status: 400, code: 'INVALID_REQUEST', send: () => http('GET', `/api/directory?q=${'a'.repeat(5_000)}`) },
  { name: 'a 10 KB Bearer token: 401', status: 401, code: 'UNAUTHORIZED', send: () => http('GET', '/api/blocks', { headers: { Authorization: `Bearer ${'a'.repeat(10_000)}` } }) },
  { name: 'a NUL byte in a header value: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`GET /health HTTP/1.1\r\n${HOST()}X-A: a\u0000b\r\n\r\n`) },
  { name: 'a line feed inside the Authorization header (wrapped base64): 400 with the hint', status: 400, code: 'INVALID_REQUEST', send: () => raw(`GET /api/blocks HTTP/1.1\r\n${HOST()}Authorization: Basic YWJj\nZGVm\r\n\r\n`) },
  { name: 'headers that never end in time: 408', status: 408, code: 'INVALID_REQUEST', send: () => rawRequest(fake.url, [`GET /health HTTP/1.1\r\n${HOST()}`, 'X-Late: 1\r\n'], { pauseMs: 2_500, timeoutMs: 4_000 }).then((r) => ({ status: r.status, body: JSON.parse(r.body || 'null'), text: r.text })) },
  { name: 'a body that never arrives in full: 408', status: 408, code: 'INVALID_REQUEST', send: () => rawRequest(fake.url, [`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"agent_name":`], { timeoutMs: 4_000 }).then((r) => ({ status: r.status, body: JSON.parse(r.body || 'null'), text: r.text })) },
];

const smuggling: Case[] = [
  { name: 'Content-Length and Transfer-Encoding together: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`) },
  { name: 'two different Content-Lengths: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}`) },
  { name: 'a negative Content-Length: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Length: -1\r\n\r\n`) },
  { name: 'Transfer-Encoding not ending in chunked: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Transfer-Encoding: chunked, identity\r\n\r\n`) },
  { name: 'an invalid chunk size: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`) },
  { name: 'a space before the colon: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Length : 2\r\n\r\n{}`) },
  { name: 'an obs-fold continuation line: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`GET /health HTTP/1.1\r\n${HOST()}X-A: a\r\n  folded\r\n\r\n`) },
  { name: 'an invalid method token: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`G@T /health HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: 'an unknown HTTP version: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw(`GET /health HTTP/9.9\r\n${HOST()}\r\n`) },
  { name: 'HTTP/1.1 without Host: 400', status: 400, code: 'INVALID_REQUEST', send: () => raw('GET /health HTTP/1.1\r\n\r\n') },
  {
    name: 'a control request pipelined behind an API body (smuggled Host): answered on its own, 403',
    status: 403,
    code: 'FORBIDDEN',
    send: async () => {
      const body = '{"agent_name":"front-bot"}';
      const r = await raw(`POST /api/auth/register HTTP/1.1\r\n${HOST()}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /__fake/snapshot HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
      const second = r.text.slice(r.text.indexOf('HTTP/1.1', 10));
      const m = /^HTTP\/1\.1 (\d+)[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(second)!;
      return { status: Number(m[1]), body: JSON.parse(m[2]), text: second };
    },
  },
  { name: 'an absolute-form target naming another host, to the control plane: 403', status: 403, code: 'FORBIDDEN', send: () => raw(`GET http://evil.example/__fake/snapshot HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: 'CONNECT: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n') },
];

const credentials: Case[] = [
  ['no Authorization', undefined, 'get', '/api/blocks'],
  ['"Basic" alone', 'Basic', 'post', '/api/auth/token'],
  ['Basic that is not base64', 'Basic !!!notbase64', 'post', '/api/auth/token'],
  ['Basic without a colon', () => `Basic ${Buffer.from(K.agentId).toString('base64')}`, 'post', '/api/auth/token'],
  ['Basic with an empty secret', () => basic(K.agentId, ''), 'post', '/api/auth/token'],
  ['Basic with a wrong API key', () => basic(K.agentId, 'sk_wrong_key_00001'), 'post', '/api/auth/token'],
  ['the recovery key where an API key is needed', () => basic(K.agentId, K.recoveryKey), 'post', '/api/auth/token'],
  ['the API key where the recovery key is needed', () => basic(K.agentId, K.apiKey), 'post', '/api/agents/{me}'],
  ['Basic for a Bearer operation', () => basic(K.agentId, K.apiKey), 'get', '/api/blocks'],
  ['"Bearer" alone', 'Bearer', 'get', '/api/blocks'],
  ['a garbage Bearer token', 'Bearer not.a.jwt', 'get', '/api/blocks'],
  ['an alg:none token', () => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: K.agentId, jti: 'x', key_id: K.keyId, iss: 'fluxra-fake', exp: 4e9 })).toString('base64url')}.`, 'get', '/api/blocks'],
  ['a token signed with another key', async () => bearer(await jwt({ key_id: K.keyId, scope: 'messages:read', exp: 4e9 }, new Uint8Array(32).fill(7))), 'get', '/api/blocks'],
  ['an expired token, correctly signed', async () => bearer(await jwt({ key_id: K.keyId, scope: 'messages:read', exp: 1_000 }, fake.state().data.keys.jwt)), 'get', '/api/blocks'],
  ['a token with its payload altered', () => { const [h, , sig] = K.token.split('.'); return bearer(`${h}.${Buffer.from(JSON.stringify({ sub: O.agentId, exp: 4e9 })).toString('base64url')}.${sig}`); }, 'get', '/api/blocks'],
  ['a token of another tenant', async () => { const other = await fake.control.seed({ agents: [{ ref: 'x', agent_name: 'tenant-bot', keys: [{ token: true }] }] }, { tenant: 'hostile-other' }); return bearer((other.agents.x as any).keys[0].access_token); }, 'get', '/api/blocks'],
  ['the Digest scheme', 'Digest username="x"', 'get', '/api/blocks'],
  ['a token in the query instead of the header', undefined, 'get', '/api/blocks?access_token={token}'],
].map(([what, value, method, path]) => ({
  name: `${what}: 401`,
  status: 401,
  code: 'UNAUTHORIZED',
  send: async () => {
    const auth = typeof value === 'function' ? await (value as () => string | Promise<string>)() : (value as string | undefined);
    const p = (path as string).replace('{me}', K.agentId).replace('{token}', encodeURIComponent(K.token));
    return http((method as string).toUpperCase(), p, { headers: auth ? { Authorization: auth } : {}, body: method === 'post' ? '{"grant_type":"client_credentials","name":"x"}' : undefined });
  },
}));
credentials.push(
  { name: 'the scheme in lower case ("bearer"): 200', status: 200, code: null, send: () => http('GET', '/api/blocks', { headers: { Authorization: `bearer ${K.token}` } }) },
  { name: 'another agent’s recovery key on the known agent’s path: 403', status: 403, code: 'FORBIDDEN', send: () => json('POST', `/api/agents/${K.agentId}`, { name: 'x' }, { Authorization: basic(O.agentId, O.recoveryKey) }) },
);

/** Every id parameter of every operation: of the wrong shape, and naming another agent's object. */
function idCases(): Case[] {
  const byParam: Record<string, { wrong: [number, string]; foreign: () => string; foreignStatus: number; foreignCode: string }> = {
    agent_id: { wrong: [400, 'INVALID_AGENT_ID'], foreign: () => O.agentId, foreignStatus: 403, foreignCode: 'FORBIDDEN' },
    conversation_id: { wrong: [404, 'NOT_FOUND'], foreign: () => O.conv, foreignStatus: 404, foreignCode: 'NOT_FOUND' },
    message_id: { wrong: [404, 'NOT_FOUND'], foreign: () => O.msg, foreignStatus: 404, foreignCode: 'NOT_FOUND' },
    key_id: { wrong: [404, 'NOT_FOUND'], foreign: () => O.keyId, foreignStatus: 404, foreignCode: 'NOT_FOUND' },
    block_id: { wrong: [404, 'NOT_FOUND'], foreign: () => O.block, foreignStatus: 404, foreignCode: 'NOT_FOUND' },
  };
  const own: Record<string, () => string> = { agent_id: () => K.agentId, conversation_id: () => K.conv, message_id: () => K.msg, key_id: () => K.keyId, block_id: () => K.block };
  const BODIES: Record<string, unknown> = {
    createApiKey: { name: 'k' }, updateAgentProfile: { intro: 'changed by someone else' }, setPresence: { presence: 'online' }, updateConversation: { name: 'taken over' },
    addConversationMembers: { agent_id: O.agentId }, markConversationRead: {}, editMessage: { content: 'edited by someone else' },
  };
  const out: Case[] = [];
  for (const op of validatorsFor().operations) {
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const rule = byParam[p.name];
      const scheme = op.security[0]?.schemes[0]?.name;
      const auth = () => (scheme === 'recoveryKeyBasic' ? basic(K.agentId, K.recoveryKey) : scheme === 'apiKeyBasic' ? basic(K.agentId, K.apiKey) : scheme ? bearer(K.token) : undefined);
      const call = (value: string) => {
        const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(name === p.name ? value : own[name]()));
        const a = auth();
        const body = BODIES[op.operationId];
        return http(op.method.toUpperCase(), path, { headers: a ? { Authorization: a } : {}, body: body === undefined ? undefined : JSON.stringify(body) });
      };
      // An agent_id is checked for its shape where the parameter says so (x-fluxra-error-code); elsewhere ids are opaque.
      const wrong: [number, string] = p.name === 'agent_id' && !p.errorCode ? [404, 'NOT_FOUND'] : rule.wrong;
      out.push({ name: `${op.operationId}: ${p.name} of the wrong shape: ${wrong[0]}`, status: wrong[0], code: wrong[1], send: () => call(p.name === 'agent_id' ? 'agt_NOT-HEX' : 'x'.repeat(101).slice(0, 99)) });
      // Someone else's object: a profile is public (200); removing a non-member is 404.
      const foreign =
        op.operationId === 'getAgentProfile' ? { status: 200, code: null }
        : op.operationId === 'removeConversationMember' && p.name === 'agent_id' ? { status: 404, code: 'NOT_FOUND' }
        : { status: rule.foreignStatus, code: rule.foreignCode };
      out.push({ name: `${op.operationId}: another agent’s ${p.name}: ${foreign.status}`, ...foreign, send: () => call(rule.foreign()) });
    }
  }
  return out;
}

const traversal: Case[] = [
  { name: '/api/../__fake/snapshot (raw): 404', status: 404, code: 'NOT_FOUND', send: () => raw(`GET /api/../__fake/snapshot HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: '/api/%2e%2e/__fake/snapshot: 404', status: 404, code: 'NOT_FOUND', send: () => raw(`GET /api/%2e%2e/__fake/snapshot HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: 'an encoded ../ in a conversation id: 404', status: 404, code: 'NOT_FOUND', send: () => asK('GET', `/api/conversations/${encodeURIComponent('../../__fake/snapshot')}/messages`) },
  { name: 'an encoded ../ in an agent id: 400', status: 400, code: 'INVALID_AGENT_ID', send: () => http('GET', `/api/agents/${encodeURIComponent('../../etc/passwd')}/profile`) },
  { name: '//__fake/snapshot: 404', status: 404, code: 'NOT_FOUND', send: () => raw(`GET //__fake/snapshot HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: '/__fake/ui/../snapshot (raw): 404', status: 404, code: 'NOT_FOUND', send: () => raw(`GET /__fake/ui/../snapshot HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: '/docs/..%2f..%2fpackage.json: 404', status: 404, code: 'NOT_FOUND', send: () => raw(`GET /docs/..%2f..%2fpackage.json HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: 'a backslash path: 404', status: 404, code: 'NOT_FOUND', send: () => raw(`GET /api\\..\\__fake\\snapshot HTTP/1.1\r\n${HOST()}\r\n`) },
];

const methods: Case[] = [
  { name: 'TRACE /health: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => raw(`TRACE /health HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: 'PROPFIND /api/blocks: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => raw(`PROPFIND /api/blocks HTTP/1.1\r\n${HOST()}\r\n`) },
  { name: 'DELETE /health: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => http('DELETE', '/health') },
  { name: 'PUT /api/messages: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => asK('PUT', '/api/messages', {}) },
  { name: 'PATCH /api/auth/register: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => json('PATCH', '/api/auth/register', {}) },
  { name: 'PUT /__fake/reset: 405', status: 405, code: 'METHOD_NOT_ALLOWED', send: () => json('PUT', '/__fake/reset', {}) },
  { name: 'an unknown path: 404', status: 404, code: 'NOT_FOUND', send: () => http('GET', '/api/nothing') },
  { name: 'Upgrade: websocket on /health: 200', status: 200, code: null, send: () => http('GET', '/health', { headers: { Connection: 'Upgrade', Upgrade: 'websocket' } }) },
];

const control: Case[] = [
  { name: 'a control request with a foreign Host: 403', status: 403, code: 'FORBIDDEN', send: () => http('GET', '/__fake/snapshot', { headers: { Host: 'evil.example' } }) },
  { name: 'a control form from another origin: 403', status: 403, code: 'FORBIDDEN', send: () => http('POST', '/__fake/reset', { headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' }, body: '' }) },
  { name: 'a control request from a null origin: 403', status: 403, code: 'FORBIDDEN', send: () => json('POST', '/__fake/reset', {}, { Origin: 'null' }) },
  { name: 'a text/plain control body: 400', status: 400, code: 'INVALID_REQUEST', send: () => http('POST', '/__fake/clock/advance', { headers: { 'Content-Type': 'text/plain' }, body: '{"seconds":1}' }) },
  { name: 'a malformed tenant header: 400', status: 400, code: 'INVALID_REQUEST', send: () => http('GET', '/health', { headers: { 'X-Fluxra-Tenant': 'no spaces please' } }) },
];

const CATALOGUE: Case[] = [...malformedJson, ...contentTypes, ...depthAndSize, ...prototypeKeys, ...unicode, ...headersAndUrls, ...smuggling, ...credentials, ...traversal, ...methods, ...control];

describe('hostile input', { timeout: 60_000 }, () => {
  it('has at least 80 cases, ids of every operation included', () => {
    expect(CATALOGUE.length + idCases().length).toBeGreaterThanOrEqual(80);
  });

  // Built lazily: the id cases need the known agents, made in beforeAll.
  it.each([...CATALOGUE.map((c) => [c.name, c] as const), ...Array.from({ length: 1 }, () => ['every id parameter of every operation', undefined] as const)])('%s', async (_name, single) => {
    const cases = single ? [single] : idCases();
    for (const c of cases) {
      const res = await c.send();
      expect(res.status, `${c.name}: ${res.text.slice(0, 300)}`).toBe(c.status);
      if (c.code) expect(res.body, c.name).toEqual({ error: { code: c.code, message: expect.any(String) } });
      await expectIntact(c.name);
    }
  });
});

/** The process answers, and the known agent's data is as it was. */
async function expectIntact(after: string) {
  expect((await http('GET', '/health')).status, `health after ${after}`).toBe(200);
  const history = await asK('GET', `/api/conversations/${K.conv}/messages?order=asc&limit=1`);
  expect(history.status, `history after ${after}`).toBe(200);
  expect(history.body.messages[0]).toMatchObject({ message_id: K.msg, content: 'known was here', sender_id: K.agentId });
  const profile = await http('GET', `/api/agents/${K.agentId}/profile`);
  expect(profile.body.intro, `profile after ${after}`).toBe('the known agent');
  expect(({} as Record<string, unknown>).polluted, `prototype after ${after}`).toBeUndefined();
}
