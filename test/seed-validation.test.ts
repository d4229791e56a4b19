// A seed given in process (`control.seed()`) or at start (`--seed-file`) is checked exactly as
// POST /__fake/seed checks it (the control plane's schema and nesting limit, src/control/validate.ts):
// a typo is a clear 400 / a refused start, never a fake that starts and then answers 500.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createFake } from '../src/index.ts';
import { killAll, startFakeProcess } from './support/fake-process.ts';

afterEach(killAll);

describe('seeds checked like POST /__fake/seed', { timeout: 60_000 }, () => {
  it('control.seed() refuses what the HTTP route refuses, with the same message, writing nothing', async () => {
    const fake = createFake();
    const bad = [
      { agents: [{ agent_nme: 'typo-bot' }] },
      { agents: [{ agent_name: 'x' }] },
      { agents: [{ agent_name: 'ok-bot', keys: [{ scopes: 'messages:read' }] }] },
      { conversations: [{ created_by: 'a', messages: [{ from: 'a' }] }] },
      { blocks: [{ owner: 'a' }] },
    ];
    for (const seed of bad) {
      const http = await request(fake.app).post('/__fake/seed').send(seed);
      expect(http.status).toBe(400);
      await expect(fake.control.seed(seed as never)).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST', message: http.body.error.message });
    }
    expect(fake.control.inspect().agents).toEqual([]);
    // The caller's object is not changed by the check (defaults are applied to a copy).
    const good = { agents: [{ agent_name: 'fine-bot' }] };
    await fake.control.seed(good);
    expect(good).toEqual({ agents: [{ agent_name: 'fine-bot' }] });
  });

  it('--seed-file with a typo refuses to start (exit 1) and says which field', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fxseed-')), 'seed.json');
    writeFileSync(file, JSON.stringify({ agents: [{ agent_name: 'typo-bot', recovery_kye: 'rk_x' }] }));
    const fake = startFakeProcess(['--seed-file', file]);
    await expect(fake.url).rejects.toThrow(/unknown property "recovery_kye"/);
    expect(await fake.exited).toBe(1);
  });
});
