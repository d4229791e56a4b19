// The parts of `fluxra-contract parity` on their own, in process: normalisation that keeps references and
// redacts secrets, the differ, the classifier (including the class only an end-to-end run against our own
// fake cannot show: the fake breaking the contract), note coverage, known-differences matching and the
// command's usage errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../contracts/parity/classify.ts';
import { runCli } from '../contracts/parity/cli.ts';
import { diffExchanges } from '../contracts/parity/differ.ts';
import { applyKnown, KnownFileError, loadKnown, matches, writeKnown } from '../contracts/parity/known.ts';
import { duration, Normaliser } from '../contracts/parity/normalise.ts';
import { covers, SpecPlaces } from '../contracts/parity/spec-places.ts';
import type { Difference, RecordedExchange } from '../contracts/parity/types.ts';
import { validatorsFor } from '../src/spec/validators.ts';

const validators = validatorsFor();
const places = new SpecPlaces(validators.spec);
const op = (id: string) => validators.byId.get(id)!;
const dir = mkdtempSync(join(tmpdir(), 'fluxra-parity-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-12-01T10:00:00Z');
const normaliser = () => new Normaliser({ start: T0, tolerance: 2000, inputs: new Map([['fxpt-x-alice', '<name:alice>']]) });
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const time = (s = 1) => ({ sentAt: T0 + s * 1000, receivedAt: T0 + s * 1000 + 50, problems: [] as { path: string; message: string }[] });

const AGENT = 'agt_0123456789abcdef0123456789abcdef';
const OTHER = 'agt_fedcba9876543210fedcba9876543210';
const CONV = 'conv_3f0e8a52-8f4c-4b59-9d8e-1f2a3b4c5d6e';

describe('normalisation', () => {
  it('numbers ids by first appearance and keeps the same id the same reference', () => {
    const n = normaliser();
    const a = n.value({ conversation_id: CONV, members: [AGENT, OTHER], created_by: AGENT, created_at: at(0) }, true, time(0));
    expect(a).toEqual({ conversation_id: '<conv#1>', members: ['<agent#1>', '<agent#2>'], created_by: '<agent#1>', created_at: '<t+0.0s>' });
    const b = n.value({ message_id: 'msg_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', conversation_id: CONV, sender_id: OTHER }, true, time());
    expect(b).toEqual({ message_id: '<msg#1>', conversation_id: '<conv#1>', sender_id: '<agent#2>' });
  });

  it('numbers alike whatever order the server writes its keys in', () => {
    const body = { sender_id: AGENT, conversation_id: CONV, message_id: 'msg_1', mention: [OTHER] };
    const reversed = Object.fromEntries(Object.entries(body).reverse());
    expect(normaliser().value(body, true, time())).toEqual(normaliser().value(reversed, true, time()));
  });

  it('labels secrets and tokens from the values seen, keeps them for redaction, and rewrites Authorization', () => {
    const n = normaliser();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2ln';
    expect(n.value({ agent_id: AGENT, recovery_key: 'whatever-format-1' }, true, time())).toEqual({ agent_id: '<agent#1>', recovery_key: '<recovery_key#1>' });
    expect(n.value({ access_token: jwt, note: `token ${jwt} inside` }, true, time())).toEqual({ access_token: '<access_token#1>', note: 'token <access_token#1> inside' });
    expect(n.auth(`Basic ${Buffer.from(`${AGENT}:whatever-format-1`).toString('base64')}`)).toBe('Basic <agent#1>:<recovery_key#1>');
    expect(n.auth(`Bearer ${jwt}`)).toBe('Bearer <access_token#1>');
    expect([...n.secrets]).toEqual(expect.arrayContaining(['whatever-format-1', jwt]));
    expect(n.value({ agent_name: 'fxpt-x-alice', free: 'sk_abcdefghijklmnop' }, true, time())).toEqual({ agent_name: '<name:alice>', free: '<api_key#1>' });
  });

  it('turns timestamps into offsets and checks format, window and order', () => {
    const n = normaliser();
    const t = time(2);
    const body = n.value({
      block_id: 'blk_1', created_at: at(2), expires_at: at(2 + 30 * 86_400), revoked_at: at(1.9 - 5),
      later: { agent_id: 'agt_zz', created_at: '2026-12-01T11:00:00+01:00' },
    }, true, t);
    expect(body).toMatchObject({ created_at: '<t+2.0s>', expires_at: '<t:step+30d>' });
    const problems = t.problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toContainEqual(expect.stringMatching(/^\$\.revoked_at: revoked_at is before created_at/));
    expect(problems).toContainEqual(expect.stringMatching(/^\$\.later\.created_at: .*not UTC with Z/));
    const early = time(3);
    n.value({ message_id: 'msg_new', created_at: at(-600) }, true, early);
    expect(early.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/before the scenario started/));
  });

  it('rounds far offsets to what they mean', () => {
    expect(duration(3599.2)).toBe('+1h');
    expect(duration(30 * 86_400 + 2)).toBe('+30d');
    expect(duration(900)).toBe('+15min');
    expect(duration(-7200)).toBe('-2h');
  });
});

const exchange = (operationId: string, status: number, body: unknown, more: Partial<RecordedExchange> = {}): RecordedExchange => ({
  step: 's', operationId, request: { method: 'POST', path: '/' }, response: { status, headers: { 'content-type': 'application/json' }, body }, problems: [], claims: [], times: [], ms: 1, ...more,
});
const diff = (a: RecordedExchange, b: RecordedExchange, inputs: string[] = []) => diffExchanges(a, b, { op: op(a.operationId), places, inputs: new Set(inputs) });

describe('the differ', () => {
  const message = { message_id: '<msg#1>', conversation_id: '<conv#1>', sender_id: '<agent#1>', content: 'hi', type: 'text', status: 'sent', created_at: '<t+0.1s>' };

  it('finds nothing between equal answers, whatever the timestamps within the scenario say', () => {
    expect(diff(exchange('sendMessage', 201, message), exchange('sendMessage', 201, { ...message, created_at: '<t+0.9s>' }), ['hi'])).toEqual([]);
  });

  it('reports a renamed field once, a missing one, a type, another reference and an input that came back changed', () => {
    const target = { ...message, conversation_id: '<conv#2>', content: 'HI', type: 7 } as Record<string, unknown>;
    delete target.sender_id;
    target.senderId = '<agent#1>';
    delete target.status;
    const found = diff(exchange('sendMessage', 201, message), exchange('sendMessage', 201, target), ['hi']).map((d) => `${d.kind} ${d.path}`);
    expect(found.sort()).toEqual(['missing $.status', 'renamed $.sender_id', 'type $.type', 'value $.content', 'value $.conversation_id'].sort());
  });

  it('does not compare free text or secrets by value, and compares enum values, counts and flags', () => {
    const a = { error: { code: 'NOT_FOUND', message: 'conversation not found' } };
    const b = { error: { code: 'NOT_FOUND', message: 'no such conversation' } };
    expect(diff(exchange('sendMessage', 404, a), exchange('sendMessage', 404, b))).toEqual([]);
    const reg = { agent_id: '<agent#1>', recovery_key: '<recovery_key#1>', warning: 'save it', email_verification_sent: false };
    expect(diff(exchange('registerAgent', 201, reg), exchange('registerAgent', 201, { ...reg, recovery_key: '[REDACTED]', warning: 'keep it' }))).toEqual([]);
    expect(diff(exchange('registerAgent', 201, reg), exchange('registerAgent', 201, { ...reg, email_verification_sent: true })).map((d) => d.path)).toEqual(['$.email_verification_sent']);
    const health = { status: 'healthy', timestamp: '<t+0.0s>', version: '0.4.0' };
    expect(diff(exchange('getHealth', 200, health), exchange('getHealth', 200, { ...health, status: 'degraded' })).map((d) => d.path)).toEqual(['$.status']);
  });

  it('tells a reordered list from a changed one, and a length from both', () => {
    const page = (...c: string[]) => ({ messages: c.map((content, i) => ({ ...message, message_id: `<msg#${c.length - i}>`, content })), has_more: false, cursor: null });
    const inputs = ['m1', 'm2', 'm3'];
    expect(diff(exchange('listMessages', 200, page('m3', 'm2', 'm1')), exchange('listMessages', 200, page('m1', 'm2', 'm3')), inputs).map((d) => d.kind)).not.toContain('order');
    const fake = page('m3', 'm2', 'm1');
    const reordered = { ...fake, messages: [...fake.messages].reverse() };
    expect(diff(exchange('listMessages', 200, fake), exchange('listMessages', 200, reordered), inputs)).toEqual([expect.objectContaining({ kind: 'order', path: '$.messages' })]);
    expect(diff(exchange('listMessages', 200, fake), exchange('listMessages', 200, page('m3', 'm2')), inputs)).toEqual([expect.objectContaining({ kind: 'length', path: '$.messages' })]);
    // An array the scenario does not fix: only the items' shape counts.
    expect(diff(exchange('listMessages', 200, fake, { unfixed: ['$.messages'] }), exchange('listMessages', 200, page('m3', 'm2')), inputs)).toEqual([]);
  });

  it('compares the status, the error code and the documented headers', () => {
    const err = (code: string) => ({ error: { code, message: 'x' } });
    const found = diff(
      exchange('createApiKey', 401, err('UNAUTHORIZED'), { response: { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="x"' }, body: err('UNAUTHORIZED') } }),
      exchange('createApiKey', 401, err('UNAUTHORIZED'), { response: { status: 401, headers: { 'content-type': 'text/plain' }, body: 'Unauthorized' } }),
    );
    // The documented plain-text 401 of some middleware carries no code: that shows too.
    expect(found.map((d) => `${d.kind} ${d.path}`)).toEqual(['error-code $.error.code', 'content-type header.content-type', 'header header.www-authenticate', 'type $']);
    expect(diff(exchange('createBlock', 409, err('CONFLICT')), exchange('createBlock', 400, err('INVALID_TARGET'))).map((d) => d.kind)).toEqual(['status', 'error-code']);
  });
});

describe('the classifier', () => {
  const claim = (ok: boolean, tier: 'documented' | 'inferred') => ({ path: 'status', rule: 'status 409', tier, source: 'docs, blocks', ok });
  const status = (fake: number, target: number) => ({ path: 'status', kind: 'status' as const, fake: String(fake), target: String(target) });

  it('the fake breaking a rule is a bug of ours, whatever the target does', () => {
    const c = classify(status(400, 409), exchange('createBlock', 400, {}, { claims: [claim(false, 'documented')] }), exchange('createBlock', 409, {}, { claims: [claim(true, 'documented')] }), op('createBlock'), places);
    expect(c.class).toBe('fake-breaks-contract');
    expect(c.because).toContain('status 409');
  });

  it('the target breaking a documented rule breaks the contract; an inferred one differs from our choice', () => {
    expect(classify(status(409, 400), exchange('createBlock', 409, {}, { claims: [claim(true, 'documented')] }), exchange('createBlock', 400, {}, { claims: [claim(false, 'documented')] }), op('createBlock'), places).class).toBe('target-breaks-contract');
    expect(classify(status(409, 400), exchange('createBlock', 409, {}, { claims: [claim(true, 'inferred')] }), exchange('createBlock', 400, {}, { claims: [claim(false, 'inferred')] }), op('createBlock'), places).class).toBe('target-differs-from-inferred');
  });

  it('where the spec allows both answers, names the x-fluxra-inferred place that chose the fake\'s', () => {
    const c = classify(status(201, 200), exchange('createBlock', 201, {}), exchange('createBlock', 200, {}), op('createBlock'), places);
    expect(c).toEqual({ class: 'target-differs-from-inferred', because: expect.stringContaining('paths./api/blocks.post.x-fluxra-inferred') });
    const field = classify({ path: '$.members', kind: 'length', fake: '1', target: '2' }, exchange('createConversation', 201, {}), exchange('createConversation', 201, {}), op('createConversation'), places);
    expect(field.because).toContain('components.schemas.Conversation.x-fluxra-inferred');
  });

  it('reads the notes: a field named, the whole, or an exception', () => {
    expect(covers('Everything but conversation_id.', ['members'])).toBe(true);
    expect(covers('Everything but conversation_id.', ['conversation_id'])).toBe(false);
    expect(covers('Response fields other than access_token (token_type, expires_in, scopes); the recovery key is not accepted here.', ['expires_in'])).toBe(true);
    expect(covers('Response fields other than access_token (token_type, expires_in, scopes); the recovery key is not accepted here.', ['access_token'])).toBe(false);
    expect(covers('Success status (fake 201, 200 accepted); key name rule', ['error', 'errors'])).toBe(false);
    expect(covers('204 with no body (200 accepted); 404 for an unknown or foreign block.', ['204'])).toBe(true);
  });
});

describe('known differences', () => {
  const d = (over: Partial<Difference> = {}): Difference => ({ scenario: 'blocks', step: 'bob blocks alice', operationId: 'createBlock', path: '$.items[3].id', kind: 'value', fake: '1', target: '2', class: 'target-differs-from-inferred', because: '', ...over });

  it('match on scenario, step and path, with * and [*], and optionally the kind', () => {
    const e = { scenario: 'blocks', step: 'bob blocks alice', path: '$.items[3].id', reason: 'r', verified: '2026-12-01' };
    expect(matches(e, d())).toBe(true);
    expect(matches({ ...e, step: 'another step' }, d())).toBe(false);
    expect(matches({ ...e, scenario: '*', step: '*', path: '$.items[*].id' }, d())).toBe(true);
    expect(matches({ ...e, path: '$.items[*]' }, d())).toBe(false);
    expect(matches({ ...e, kind: 'order' }, d())).toBe(false);
  });

  it('mark exactly the covered differences as known and return the entries that matched nothing', () => {
    const entries = [{ scenario: 'blocks', step: 'bob blocks alice', path: 'status', reason: 'prod answers 200', verified: '2026-12-01' }, { scenario: 'x', step: 'y', path: 'status', reason: 'gone', verified: '2026-12-01' }];
    const list = [d({ path: 'status', kind: 'status' }), d()];
    expect(applyKnown(entries, list)).toEqual([entries[1]]);
    expect(list.map((x) => x.known?.reason)).toEqual(['prod answers 200', undefined]);
  });

  it('load with clear errors, and are written back keeping the reasons already given', () => {
    const file = join(dir, 'known.yaml');
    writeFileSync(file, 'differences:\n  - scenario: blocks\n    step: s\n    path: status\n    reason: r\n    verified: yesterday\n');
    expect(() => loadKnown(file)).toThrow(KnownFileError);
    expect(() => loadKnown(file)).toThrow(/verified.*YYYY-MM-DD/);
    writeFileSync(file, "differences:\n  - scenario: blocks\n    step: bob blocks alice\n    path: status\n    reason: prod answers 200\n    verified: '2026-11-30'\n");
    const entries = loadKnown(file);
    expect(writeKnown(file, entries, [d({ path: 'status', kind: 'status' }), d()], '2026-12-01')).toEqual({ added: 1, kept: 1 });
    const again = loadKnown(file);
    expect(again.map((e) => [e.path, e.reason.startsWith('TODO') ? 'TODO' : e.reason, e.verified])).toEqual([['status', 'prod answers 200', '2026-11-30'], ['$.items[3].id', 'TODO', '2026-12-01']]);
    expect(readFileSync(file, 'utf8')).toContain('# Known differences between the Fluxra fake and a deployment');
    expect(loadKnown(join(dir, 'absent.yaml'))).toEqual([]);
  });
});

describe('the command', () => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err };
  };

  it('refuses what it cannot run, with exit 2 and a message that says why', async () => {
    expect(await run('--base-url', 'https://chat.tryfluxra.com')).toMatchObject({ code: 2, err: expect.stringContaining('--allow-live') });
    expect(await run('--base-url', 'http://127.0.0.1:1', '--scenario', 'nope')).toMatchObject({ code: 2, err: expect.stringContaining('unknown scenario(s) nope') });
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining('--base-url URL') });
    expect(await run('--base-url', 'http://127.0.0.1:1', '--budget', '0')).toMatchObject({ code: 2, err: expect.stringContaining('positive integer') });
    expect(await run('--against-recording', join(dir, 'nothing-here'))).toMatchObject({ code: 2, err: expect.stringContaining('does not exist') });
  });

  it('says the target does not answer, with exit 1, when nothing listens there', async () => {
    const r = await run('--base-url', 'http://127.0.0.1:9', '--timeout', '5', '--out', join(dir, 'unreachable'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not answer GET \/health/);
  });

  it('lists its scenarios', async () => {
    const r = await run('--list');
    expect(r.code).toBe(0);
    for (const name of ['quickstart', 'dm-shortcut', 'api-keys', 'tokens', 'blocks', 'history-paging', 'edits-deletes', 'documented-errors']) expect(r.out).toContain(name);
  });
});
