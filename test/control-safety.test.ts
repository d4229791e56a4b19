// Who may reach the control plane (src/control/access.ts): only requests addressed to the fake itself
// (a loopback Host, the bound address or an --allow-host name), none from another origin, JSON bodies
// only, and the control token when one is set; a warning when the fake listens beyond loopback. The
// API plane is not affected.
import { describe, expect, it } from 'vitest';
import { startFake } from '../src/index.ts';
import { setupFake } from './helpers.ts';

describe('control plane: where requests come from', () => {
  it('refuses a plain HTML form from another site (text/plain, foreign Origin): nothing is reset', async () => {
    const { req, fake } = setupFake();
    await req('post', '/api/auth/register').send({ agent_name: 'victim-bot' });
    const form = await req('post', '/__fake/reset').set('Origin', 'https://evil.example').set('Content-Type', 'text/plain').send('all=true');
    expect(form.status).toBe(403);
    expect(form.body.error.code).toBe('FORBIDDEN');
    // The same form without its Origin (an old browser) still fails: not JSON.
    const bare = await req('post', '/__fake/reset').set('Content-Type', 'text/plain').send('');
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toBe('Content-Type must be application/json (got "text/plain")');
    const urlencoded = await req('post', '/__fake/reset').set('Content-Type', 'application/x-www-form-urlencoded').send('all=true');
    expect(urlencoded.status).toBe(400);
    expect(fake.control.inspect().agents.map((a) => a.agent_name)).toEqual(['victim-bot']);
  });

  it('refuses a Host that is not this fake (DNS rebinding): the snapshot and its signing key stay unread', async () => {
    const { req } = setupFake();
    for (const host of ['evil.example', 'evil.example:4010', 'rebind.127.0.0.1.nip.io', '192.168.1.20:4010']) {
      const res = await req('get', '/__fake/snapshot').set('Host', host);
      expect(res.status, host).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.text).not.toContain('"keys"');
    }
    for (const host of ['127.0.0.1:4010', 'localhost', 'LOCALHOST:1', 'app.localhost:9', '127.1.2.3', '[::1]:4010']) {
      expect((await req('get', '/__fake/clock').set('Host', host)).status, host).toBe(200);
    }
    // Unknown control paths are refused too (before any route), and the API plane does not care.
    expect((await req('get', '/__fake/nothing').set('Host', 'evil.example')).status).toBe(403);
    expect((await req('get', '/health').set('Host', 'evil.example')).status).toBe(200);
  });

  it('accepts the names given with allowHosts (--allow-host)', async () => {
    const { req } = setupFake({ allowHosts: ['fake.test', 'CI-Runner:8080'] });
    expect((await req('get', '/__fake/clock').set('Host', 'fake.test:4010')).status).toBe(200);
    expect((await req('get', '/__fake/clock').set('Host', 'ci-runner')).status).toBe(200);
    expect((await req('get', '/__fake/clock').set('Host', 'other.test')).status).toBe(403);
  });

  it('refuses another origin (Origin, null origins, Sec-Fetch-Site) and accepts its own pages', async () => {
    const { req } = setupFake();
    const post = () => req('post', '/__fake/clock/freeze').set('Host', '127.0.0.1:4010');
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:9999', 'file://', 'chrome-extension://abc']) {
      expect((await post().set('Origin', origin).send({})).status, origin).toBe(403);
    }
    expect((await post().set('Sec-Fetch-Site', 'cross-site').send({})).status).toBe(403);
    expect((await post().set('Sec-Fetch-Site', 'same-site').send({})).status).toBe(403);
    expect((await post().set('Origin', 'http://127.0.0.1:4010').set('Sec-Fetch-Site', 'same-origin').send({})).status).toBe(200);
    expect((await post().set('Origin', 'http://localhost:4010').send({})).status).toBe(200);
  });
});

describe('control plane: the control token', () => {
  it('requires Authorization: Bearer <token> on every operation but the document and the dashboard page', async () => {
    const { req } = setupFake({ controlToken: 'tok-123' });
    const missing = await req('get', '/__fake/clock');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHORIZED');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await req('get', '/__fake/snapshot').set('Authorization', 'Bearer tok-12')).status).toBe(401);
    expect((await req('post', '/__fake/reset').set('Authorization', 'Basic dG9rLTEyMw==').send({})).status).toBe(401);
    expect((await req('get', '/__fake/clock').set('Authorization', 'Bearer tok-123')).status).toBe(200);
    expect((await req('get', '/__fake/openapi.yaml')).status).toBe(200);
    expect((await req('get', '/__fake/ui')).status).toBe(200);
    // The token does not open the door to a foreign Host.
    expect((await req('get', '/__fake/clock').set('Authorization', 'Bearer tok-123').set('Host', 'evil.example')).status).toBe(403);
  });
});

describe('listening beyond loopback', () => {
  it('warns at start when bound to a non-loopback address, and not on loopback', async () => {
    const warnings: string[] = [];
    const wide = await startFake({ host: '0.0.0.0', port: 0, onWarning: (w) => warnings.push(w) });
    await wide.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not a loopback address/);
    expect(warnings[0]).toMatch(/--control-token/);
    const local = await startFake({ port: 0, onWarning: (w) => warnings.push(w) });
    await local.close();
    expect(warnings).toHaveLength(1);
  });
});
