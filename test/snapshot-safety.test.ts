// Snapshots and restores that cannot poison the fake: a "__proto__" key is data on the way out and is
// refused on the way in (no prototype is ever changed), a part a tenant's state does not have or of the
// wrong kind is refused whole, and a restore never rewinds the random stream (a seeded fake restarted
// and restored hands out no id or secret it already gave).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { basic } from '../contracts/lib/actors.ts';
import { createFake } from '../src/index.ts';
import { setupFake } from './helpers.ts';

const polluted = () => ({}) as Record<string, unknown>;

describe('restoreSnapshot and prototype keys', () => {
  it('refuses "__proto__" anywhere in a snapshot’s state with 400, and the fake keeps working in every tenant', async () => {
    const { fake, req, violations } = setupFake();
    await req('post', '/api/auth/register').send({ agent_name: 'before-bot' });
    const text = (await req('get', '/__fake/snapshot')).text;
    for (const evil of [
      text.replace('"data":{', '"data":{"__proto__":{"polluted":"yes"},'),
      text.replace('"settings":{', '"settings":{"__proto__":{"polluted":"yes"},'),
      text.replace('"data":{', '"data":{"constructor":{"prototype":{"polluted":"yes"}},'),
    ]) {
      expect(evil).not.toBe(text);
      const res = await req('post', '/__fake/restore').set('Content-Type', 'application/json').send(evil);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.message).toMatch(/is not part of a tenant's state/);
      expect(polluted().polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    }
    for (const tenant of ['default', 'other']) {
      expect((await req('post', '/api/auth/register').set('X-Fluxra-Tenant', tenant).send({ agent_name: 'after-bot' })).status).toBe(201);
    }
    expect((await req('post', '/__fake/reset').send({ all: true })).status).toBe(200);
    expect(fake.control.inspect().agents).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('refuses parts of the wrong kind or unknown to a tenant, writing nothing', async () => {
    const { fake, req } = setupFake();
    await req('post', '/api/auth/register').send({ agent_name: 'keep-bot' });
    const snapshot = (await req('get', '/__fake/snapshot')).body;
    const cases = [
      { ...snapshot, data: { ...snapshot.data, agents: { ...snapshot.data.agents, agents: 'not a map' } } },
      { ...snapshot, data: { ...snapshot.data, extra_store: { $map: [] } } },
      { ...snapshot, data: { ...snapshot.data, sequence: { value: 'seven' } } },
      { ...snapshot, data: { ...snapshot.data, agents: { $map: 3 } } },
    ];
    await req('post', '/api/auth/register').send({ agent_name: 'later-bot' });
    for (const bad of cases) {
      const res = await req('post', '/__fake/restore').send(bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    expect(fake.control.inspect().agents.map((a) => a.agent_name)).toEqual(['keep-bot', 'later-bot']);
  });

  it('keeps a "__proto__" key of stored data in the snapshot and brings it back as data', async () => {
    const a = createFake();
    const reg = await request(a.app).post('/api/auth/register').set('Content-Type', 'application/json').send('{"agent_name":"proto-bot","metadata":{"__proto__":{"kept":true},"description":"d"}}');
    expect(reg.status).toBe(201);
    const snapshot = (await request(a.app).get('/__fake/snapshot')).text;
    expect(snapshot).toContain('"__proto__":{"kept":true}');
    const b = createFake();
    expect((await request(b.app).post('/__fake/restore').set('Content-Type', 'application/json').send(snapshot)).status).toBe(200);
    const metadata = b.state().data.agents.agents.get(reg.body.agent_id)!.metadata;
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')?.value).toEqual({ kept: true });
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(polluted().kept).toBeUndefined();
  });
});

describe('restore continues the id streams', () => {
  it('a seeded fake, restarted and restored, never hands out an id or secret the snapshot holds', async () => {
    const first = createFake({ seed: 'restart' });
    const seeded = await first.control.seed({
      agents: [{ ref: 'a', agent_name: 'a-bot', keys: [{ token: true }] }, { ref: 'b', agent_name: 'b-bot' }],
      conversations: [{ ref: 'room', name: 'Room', created_by: 'a', members: ['b'], messages: [{ from: 'a', content: 'one' }] }],
      blocks: [{ owner: 'b', target: 'a' }],
    });
    const taken = JSON.stringify(first.control.snapshot());
    const old = seeded.agents.a as { agent_id: string; recovery_key: string; keys: { api_key: string; key_id: string }[] };

    // The same seed in a new process draws the same stream from the start...
    const second = createFake({ seed: 'restart' });
    second.control.restore(JSON.parse(taken));
    // ...but after the restore it continues past everything the snapshot holds.
    const reg = await request(second.app).post('/api/auth/register').send({ agent_name: 'new-bot' });
    expect(reg.status).toBe(201);
    expect(taken).not.toContain(reg.body.agent_id);
    expect(reg.body.recovery_key).not.toBe(old.recovery_key);
    const key = await request(second.app).post(`/api/agents/${reg.body.agent_id}`).set('Authorization', basic(reg.body.agent_id, reg.body.recovery_key)).send({ name: 'k' });
    expect(key.status).toBe(201);
    expect(taken).not.toContain(key.body.key_id);
    expect(key.body.api_key).not.toBe(old.keys[0].api_key);
    // The old agent's credentials still belong to it alone.
    const oldKey = await request(second.app).post(`/api/agents/${old.agent_id}`).set('Authorization', basic(old.agent_id, old.recovery_key)).send({ name: 'again' });
    expect(oldKey.status).toBe(201);
    expect(taken).not.toContain(oldKey.body.key_id);
  });

  it('restoring an older snapshot into the same tenant does not rewind its stream either', async () => {
    const fake = createFake({ seed: 'rewind' });
    const snapshot = fake.control.snapshot();
    const one = await request(fake.app).post('/api/auth/register').send({ agent_name: 'one-bot' });
    fake.control.restore(snapshot);
    const two = await request(fake.app).post('/api/auth/register').send({ agent_name: 'two-bot' });
    expect(two.status).toBe(201);
    expect(two.body.agent_id).not.toBe(one.body.agent_id);
    expect(two.body.recovery_key).not.toBe(one.body.recovery_key);
  });
});
