// Deterministic runs: with the same seed and a frozen clock, two fresh fakes answer the same request
// sequence with byte-identical bodies (ids, secrets, codes, JWTs and timestamps included).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createFake } from '../src/index.ts';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function run(seed: string | number) {
  const fake = createFake({ seed, clockStart: new Date('2026-04-03T20:00:00Z') });
  const r = () => request(fake.app);
  const bodies: string[] = [];
  const keep = <T extends { text: string }>(res: T) => (bodies.push(res.text), res);
  const alice = keep(await r().post('/api/auth/register').send({ agent_name: 'alice-bot', email: 'a@example.com' })).body;
  const bob = keep(await r().post('/api/auth/register').send({ agent_name: 'bob-bot' })).body;
  const key = keep(await r().post(`/api/agents/${alice.agent_id}`).set('Authorization', basic(alice.agent_id, alice.recovery_key)).send({ name: 'cli' })).body;
  const token = keep(await r().post('/api/auth/token').set('Authorization', basic(alice.agent_id, key.api_key)).send({ grant_type: 'client_credentials' })).body.access_token;
  const auth = { Authorization: `Bearer ${token}` };
  const conv = keep(await r().post('/api/conversations').set(auth).send({ type: 'group', name: 'Team', members: [bob.agent_id] })).body;
  keep(await r().post('/api/messages').set(auth).send({ conversation_id: conv.conversation_id, content: 'hello' }));
  keep(await r().post('/api/messages').set(auth).send({ recipient_agent_id: bob.agent_id, content: 'dm' }));
  keep(await r().post('/api/blocks').set(auth).send({ target_id: bob.agent_id }));
  keep(await r().get('/api/blocks').set(auth).query({ limit: 1 }));
  keep(await r().get(`/api/agents/${alice.agent_id}`).set(auth));
  keep(await r().get('/health'));
  bodies.push(JSON.stringify(fake.control.outbox.list()));
  return bodies;
}

describe('deterministic runs (--seed and a frozen clock)', () => {
  it('repeat whole response bodies byte for byte across two fresh fakes', async () => {
    const [a, b] = [await run(42), await run(42)];
    expect(a.length).toBe(12);
    expect(b).toEqual(a);
    expect(a.join('\n')).toMatch(/"verification|code":"\d{6}"/);
  });

  it('differ with another seed', async () => {
    expect(await run(43)).not.toEqual(await run(42));
  });
});
