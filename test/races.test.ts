// Races over real HTTP on loopback (one fake, 1,000 requests at once on 100 keep-alive connections):
// the direct-message shortcut between one pair, fired in both directions, makes exactly one
// conversation; 1,000 concurrent sends into one conversation store exactly 1,000 messages, and a full
// history walk returns each once, in send order.
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../contracts/lib/actors.ts';
import { startFake, type RunningFake } from '../src/index.ts';

let fake: RunningFake;
const agent = new Agent({ keepAlive: true, maxSockets: 100 });
beforeAll(async () => {
  fake = await startFake({ port: 0 });
});
afterAll(async () => {
  agent.destroy();
  await fake.close({ gracePeriodMs: 0 });
});

function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (text !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    if (token) headers.Authorization = bearer(token);
    const req = httpRequest(`${fake.url}${path}`, { method, agent, headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: data ? JSON.parse(data) : undefined }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function actor(name: string) {
  const seeded = await fake.control.seed({ agents: [{ ref: name, agent_name: name, keys: [{ token: true }] }] });
  const a = seeded.agents[name] as { agent_id: string; keys: { access_token: string }[] };
  return { agentId: a.agent_id, token: a.keys[0].access_token };
}

describe('races', { timeout: 60_000 }, () => {
  it('1,000 concurrent direct-message shortcuts between one pair, both directions, make one conversation', async () => {
    const [a, b] = [await actor('race-a'), await actor('race-b')];
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => {
        const [from, to] = i % 2 ? [a, b] : [b, a];
        return call('POST', '/api/messages', { recipient_agent_id: to.agentId, content: `dm ${i}` }, from.token);
      }),
    );
    expect(results.filter((r) => r.status !== 201)).toEqual([]);
    expect(new Set(results.map((r) => r.body.conversation_id)).size).toBe(1);
    const directs = fake.control.inspect().conversations.filter((c) => c.type === 'direct' && c.members.includes(a.agentId));
    expect(directs).toHaveLength(1);
    expect(directs[0].messages).toHaveLength(1_000);
    // Each member joined once: one conversation.joined event apiece.
    const sync = await call('GET', '/api/sync?limit=1', undefined, a.token);
    expect(sync.body.events[0].type).toBe('conversation.joined');
    const joins = fake.state().data.conversations.membershipLog.filter((e) => e.conversation_id === directs[0].conversation_id);
    expect(joins.map((e) => e.type)).toEqual(['joined', 'joined']);
  });

  it('1,000 concurrent sends into one conversation store exactly 1,000, and a history walk returns each once, in order', async () => {
    const me = await actor('race-sender');
    const conv = (await call('POST', '/api/conversations', { type: 'group', name: 'race', members: [] }, me.token)).body.conversation_id;
    const sent = await Promise.all(Array.from({ length: 1_000 }, (_, i) => call('POST', '/api/messages', { conversation_id: conv, content: `n${i}` }, me.token)));
    expect(sent.filter((r) => r.status !== 201)).toEqual([]);
    const acked = new Set(sent.map((r) => r.body.message_id));
    expect(acked.size).toBe(1_000);

    const walked: { message_id: string; created_at: string }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await call('GET', `/api/conversations/${conv}/messages?order=asc&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, me.token);
      expect(res.status).toBe(200);
      walked.push(...res.body.messages);
      if (!res.body.has_more) break;
      cursor = res.body.cursor;
    }
    expect(walked).toHaveLength(1_000);
    expect(new Set(walked.map((m) => m.message_id))).toEqual(acked);
    // In send order: the store's order (sequence positions) is the order the fake acknowledged them in.
    const stored = fake.state().data.messages.byConversation.get(conv)!;
    expect(walked.map((m) => m.message_id)).toEqual(stored);
    const seqs = stored.map((id) => fake.state().data.messages.messages.get(id)!.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });
});
