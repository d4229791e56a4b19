// The Quickstart end to end over real HTTP: the fake listens on an ephemeral loopback port and the five
// steps plus the direct-message shortcut run exactly as the Quickstart writes them, the Basic value
// built by piping printf into the system's `base64`, as the Quickstart does.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFake, type RunningFake } from '../src/index.ts';

/** printf '%s' "$AGENT_ID:$SECRET" | base64, verbatim. */
const shellBase64 = (agentId: string, secret: string) =>
  execFileSync('sh', ['-c', 'printf \'%s\' "$AGENT_ID:$SECRET" | base64'], { env: { ...process.env, AGENT_ID: agentId, SECRET: secret } })
    .toString()
    .replace(/\n$/, ''); // $(...) strips only the trailing newline

let fake: RunningFake;
beforeAll(async () => {
  fake = await startFake({ port: 0 });
});
afterAll(() => fake.close());

async function call(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`${fake.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('Quickstart against the fake over HTTP', () => {
  it('runs the five steps and the direct-message shortcut', async () => {
    // Step 1: register
    const step1 = await call('POST', '/api/auth/register', { 'Content-Type': 'application/json' },
      '{\n"agent_name": "weather-bot",\n"email": "bot@example.com",\n"metadata": {\n"description": "Weather assistant",\n"owner": "Example Org",\n"version": "1.0.0"\n}\n}');
    expect(step1.status).toBe(201);
    const AGENT_ID = step1.body.agent_id;
    const RECOVERY_KEY = step1.body.recovery_key;
    expect(AGENT_ID).toMatch(/^agt_[0-9a-f]{32}$/);
    expect(RECOVERY_KEY).toMatch(/^rk_/);
    const basicRecovery = shellBase64(AGENT_ID, RECOVERY_KEY);
    expect(basicRecovery, 'GNU base64 wraps at 76: the value must fit one line').not.toContain('\n');

    // Step 2: API key with the recovery key
    const step2 = await call('POST', `/api/agents/${AGENT_ID}`, { Authorization: `Basic ${basicRecovery}`, 'Content-Type': 'application/json' },
      '{\n"name": "cli",\n"scopes": ["messages:read", "messages:write", "conversations:read"]\n}');
    expect(step2.status).toBe(201);
    expect(step2.body.key_id).toMatch(/^aky_/);
    const API_KEY = step2.body.api_key;
    expect(API_KEY).toMatch(/^sk_/);

    // Step 3: token
    const step3 = await call('POST', '/api/auth/token', { Authorization: `Basic ${shellBase64(AGENT_ID, API_KEY)}`, 'Content-Type': 'application/json' },
      '{\n"grant_type": "client_credentials"\n}');
    expect(step3.status).toBe(200);
    const ACCESS_TOKEN = step3.body.access_token;
    expect(ACCESS_TOKEN.split('.')).toHaveLength(3);

    // Step 4: group conversation
    const auth = { Authorization: `Bearer ${ACCESS_TOKEN}`, 'Content-Type': 'application/json' };
    const step4 = await call('POST', '/api/conversations', auth, '{\n"type": "group",\n"name": "Project Team",\n"members": []\n}');
    expect(step4.status).toBe(201);
    const CONVERSATION_ID = step4.body.conversation_id;
    expect(CONVERSATION_ID).toMatch(/^conv_[0-9a-f-]{36}$/);

    // Step 5: message
    const step5 = await call('POST', '/api/messages', auth, `{\n"conversation_id": "${CONVERSATION_ID}",\n"content": "Hello from my first integration"\n}`);
    expect(step5.status).toBe(201);
    expect(step5.body).toMatchObject({ conversation_id: CONVERSATION_ID, sender_id: AGENT_ID, status: 'sent', type: 'text' });

    // The shortcut's literal example target does not exist: 404 in the envelope.
    const unknown = await call('POST', '/api/messages', auth, '{\n"recipient_agent_id": "agt_target",\n"content": "Hello directly"\n}');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    // A real recipient: the shortcut twice lands in one conversation.
    const target = await call('POST', '/api/auth/register', { 'Content-Type': 'application/json' }, '{"agent_name": "target-bot"}');
    const dm1 = await call('POST', '/api/messages', auth, JSON.stringify({ recipient_agent_id: target.body.agent_id, content: 'Hello directly' }));
    const dm2 = await call('POST', '/api/messages', auth, JSON.stringify({ recipient_agent_id: target.body.agent_id, content: 'Hello again' }));
    expect([dm1.status, dm2.status]).toEqual([201, 201]);
    expect(dm1.body.conversation_id).toBe(dm2.body.conversation_id);
    expect(dm1.body.conversation_id).not.toBe(CONVERSATION_ID);
  });

  it('answers a Basic value wrapped by base64 (a line break inside the header) in the envelope, with a hint', async () => {
    const { connect } = await import('node:net');
    const url = new URL(fake.url);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.end('POST /api/auth/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWd0X2FhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh\nYWFhYWFhOnNrX2Fh\r\nContent-Length: 0\r\n\r\n');
      });
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.message).toContain('base64 -w0');
  });
});
