// The server around the app (src/http/server.ts, startFake): a slow request is answered 408 in the
// envelope, CONNECT 405, and close() is graceful: requests in flight finish, new connections are refused,
// and only past the grace period are connections cut.
import { afterEach, describe, expect, it } from 'vitest';
import { newActor, bearer } from '../contracts/lib/actors.ts';
import { startFake, type RunningFake } from '../src/index.ts';
import { rawRequest } from './support/raw-http.ts';
import request from 'supertest';

const started: RunningFake[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close({ gracePeriodMs: 0 })));
});
const start = async (options: Parameters<typeof startFake>[0] = {}) => {
  const fake = await startFake({ port: 0, ...options });
  started.push(fake);
  return fake;
};

describe('server timeouts', () => {
  it('answers a request whose headers or body do not arrive in time 408 in the envelope', async () => {
    const fake = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const [slowHeaders, slowBody] = await Promise.all([
      rawRequest(fake.url, ['GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Late: 1\r\n'], { pauseMs: 2_500, timeoutMs: 4_000 }),
      rawRequest(fake.url, ['POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"agent_name":', '"late-bot"}'], { pauseMs: 2_500, timeoutMs: 4_000 }),
    ]);
    for (const res of [slowHeaders, slowBody]) {
      expect(res.status, res.text).toBe(408);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/timeout/) } });
    }
    expect(fake.control.inspect().agents).toEqual([]);
    expect((await fetch(`${fake.url}/health`)).status).toBe(200);
  });

  it('answers CONNECT 405 in the envelope (the fake is not a proxy)', async () => {
    const fake = await start();
    const res = await rawRequest(fake.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('graceful close', () => {
  it('lets requests in flight finish, refuses new connections, then resolves', async () => {
    const fake = await start();
    const req = (method: 'get' | 'post', path: string) => request(fake.url)[method](path);
    const me = await newActor(req as never);
    const conv = (await req('post', '/api/conversations').set('Authorization', bearer(me.token)).send({ type: 'group', name: 'g', members: [] })).body.conversation_id;
    // Every send waits 400 ms, so twenty are in flight when close() is called.
    fake.control.faults.add({ operation_id: 'sendMessage', delay_ms: 400, for_seconds: 3600 });
    const sends = Array.from({ length: 20 }, (_, i) =>
      fetch(`${fake.url}/api/messages`, { method: 'POST', headers: { Authorization: bearer(me.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ conversation_id: conv, content: `m${i}` }) }).then((r) => r.status),
    );
    await new Promise((r) => setTimeout(r, 150));
    const closed = fake.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${fake.url}/health`)).rejects.toThrow();
    expect(await Promise.all(sends)).toEqual(Array(20).fill(201));
    await closed;
    expect(fake.control.inspect().conversations[0].messages).toHaveLength(20);
  });

  it('cuts what is still running once the grace period is over', async () => {
    const fake = await start({ gracePeriodMs: 200 });
    fake.control.faults.add({ operation_id: 'getHealth', delay_ms: 5_000 });
    const slow = fetch(`${fake.url}/health`).then((r) => r.status, () => 'cut');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(await slow).toBe('cut');
  });
});
