// Bounded, seeded fuzzing of every operation in process: bodies built from the spec's own request
// examples, their ids replaced by real ones (so requests get past lookups into the handlers), then fields
// swapped for values of the wrong type, dropped or added; path ids real or random; random query values.
// Whatever arrives, the fake answers a status below 500 in the documented envelope and nothing it sends
// breaks the spec. About 1,500 requests, no network.
import { describe, expect, it } from 'vitest';
import { deref } from '../src/spec/load.ts';
import { createValidators } from '../src/spec/validators.ts';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { setupFake } from './helpers.ts';

const { spec, operations } = createValidators();
const SAMPLES = 40;

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

const WEIRD: unknown[] = [null, true, 0, -1, 1e308, 3.5, '', ' ', 'x'.repeat(20_000), '\u0000', '😀'.repeat(3), '<script>', '../../etc', { $gt: '' }, [], [[[]]], {}, ['a', 1, null], 'agt_00000000000000000000000000000000', 'conv_x', '2026-13-45T99:99:99Z'];

function mutate(example: unknown, pick: (n: number) => number): unknown {
  if (pick(8) === 0) return WEIRD[pick(WEIRD.length)];
  if (!example || typeof example !== 'object' || Array.isArray(example)) return WEIRD[pick(WEIRD.length)];
  const out: Record<string, unknown> = { ...(example as Record<string, unknown>) };
  const keys = Object.keys(out);
  for (let i = 0, n = 1 + pick(3); i < n; i++) {
    const action = pick(3);
    const key = keys[pick(Math.max(keys.length, 1))] ?? 'field';
    if (action === 0) out[key] = WEIRD[pick(WEIRD.length)];
    else if (action === 1) delete out[key];
    else out[`extra_${pick(100)}`] = WEIRD[pick(WEIRD.length)];
  }
  return out;
}

/** Replaces example ids (conv_..., msg_...) with ids of real records, so handlers are reached. */
function realize(value: unknown, ids: Record<string, string>): unknown {
  if (typeof value === 'string') return Object.entries(ids).find(([prefix]) => value.startsWith(prefix))?.[1] ?? value;
  if (Array.isArray(value)) return value.map((v) => realize(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realize(v, ids)]));
  return value;
}

function exampleBody(op: (typeof operations)[number]): unknown {
  if (!op.requestBody) return undefined;
  const body = deref<any>(spec, (op.raw as any).requestBody);
  const examples = body.content[op.requestBody.mediaType].examples ?? {};
  const first = Object.values(examples)[0];
  return first ? deref<any>(spec, first).value : {};
}

describe('fuzz: every operation, seeded random input', async () => {
  const { req, actor, violations } = setupFake();
  const [me, other] = await Promise.all([actor(), actor()]);
  const auth = { Authorization: bearer(me.token) };
  const conv = (await req('post', '/api/conversations').set(auth).send({ type: 'group', name: 'fuzz', members: [other.agentId] })).body.conversation_id;
  const msg = (await req('post', '/api/messages').set(auth).send({ conversation_id: conv, content: 'seed' })).body.message_id;
  const third = await actor();
  const blk = (await req('post', '/api/blocks').set(auth).send({ target_id: third.agentId })).body.block_id;
  const ids = { conv_: conv, msg_: msg, blk_: blk, aky_: me.keyId, agt_: other.agentId };
  const byParam: Record<string, string> = { conversation_id: conv, message_id: msg, block_id: blk, key_id: me.keyId };
  const credentials: Record<string, string> = { bearerJwt: bearer(me.token), apiKeyBasic: basic(me.agentId, me.apiKey), recoveryKeyBasic: basic(me.agentId, me.recoveryKey) };
  // Operations that end a session or an account would cut the run short: they get their own agent each time.
  const consuming = new Set(['refreshToken', 'revokeToken', 'deleteAgent', 'revokeApiKey']);

  it.each(operations.map((op) => [op.operationId, op] as const))('%s never answers 5xx or off-spec', async (_id, op) => {
    const pick = rng([...op.operationId].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
    for (let i = 0; i < SAMPLES; i++) {
      const who = consuming.has(op.operationId) ? await actor() : me;
      const real = pick(4) !== 0;
      const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        if (name === 'agent_id') return op.ownerParam || pick(2) ? who.agentId : other.agentId;
        return real && byParam[name] ? (consuming.has(op.operationId) && name === 'key_id' ? who.keyId : byParam[name]) : encodeURIComponent(String(WEIRD[pick(WEIRD.length)] ?? 'x').slice(0, 60) || 'x');
      });
      const query = pick(2) ? `?limit=${encodeURIComponent(String(WEIRD[pick(WEIRD.length)]).slice(0, 40))}&cursor=${encodeURIComponent(String(WEIRD[pick(WEIRD.length)]).slice(0, 40))}` : '';
      const test = req(op.method, path + query);
      const scheme = op.security[0]?.schemes[0]?.name;
      if (scheme) test.set('Authorization', consuming.has(op.operationId) ? { bearerJwt: bearer(who.token), apiKeyBasic: basic(who.agentId, who.apiKey), recoveryKeyBasic: basic(who.agentId, who.recoveryKey) }[scheme]! : credentials[scheme]);
      // A quarter of the bodies are the realized example unchanged: valid input that reaches the handler.
      const example = realize(exampleBody(op), ids);
      const body = pick(4) === 0 ? example : mutate(example, pick);
      const res = op.requestBody ? await test.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null') : await test;
      expect(res.status, `${op.operationId} #${i}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
      if (res.status >= 400 && res.headers['content-type']?.startsWith('application/json')) {
        expect(res.body, `${op.operationId} #${i}`).toEqual({ error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) } });
      }
    }
    expect(violations).toEqual([]);
  });
});
