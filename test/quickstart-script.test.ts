// scripts/quickstart.sh: the Quickstart page's curl commands verbatim (a copy of the page is in
// test/fixtures/quickstart/quickstart.txt; only the base URL differs) run by bash against a fake started as
// its own process, the direct-message shortcut twice into one conversation, no secret printed.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, startFakeProcess } from './support/fake-process.ts';

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'quickstart.sh');
const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const missing = ['bash', 'curl', 'jq', 'base64'].filter((t) => !has(t));

function script(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

afterEach(() => killAll());

describe('scripts/quickstart.sh', () => {
  it('holds every curl command of the Quickstart page verbatim, with only the base URL changed', () => {
    const page = readFileSync(join(ROOT, 'test', 'fixtures', 'quickstart', 'quickstart.txt'), 'utf8');
    const commands = page.match(/^curl -X[\s\S]*?^\}['"]$/gm) ?? [];
    expect(commands).toHaveLength(6);
    const text = readFileSync(SCRIPT, 'utf8');
    for (const command of commands) expect(text, command).toContain(command.replaceAll('https://chat.tryfluxra.com', '$BASE_URL'));
    expect(text).not.toContain('chat.tryfluxra.com/');
  });

  it.skipIf(missing.length > 0)(`runs the Quickstart against a fake: five steps, the shortcut twice into one conversation${missing.length ? ` (skipped: ${missing.join(', ')} missing)` : ''}`, async () => {
    const fake = startFakeProcess([]);
    const url = await fake.url;
    const { code, out } = await script([url]);
    expect(code, out).toBe(0);
    expect(out).toContain(`QUICKSTART OK against ${url}`);
    const [, first, again] = /conversation_id: (conv_\S+), then (conv_\S+)/.exec(out) ?? [];
    expect(first, out).toMatch(/^conv_/);
    expect(again).toBe(first);
    expect(out).not.toMatch(/rk_|sk_|eyJ/); // secrets are saved, never printed
  }, 90_000);

  it.skipIf(missing.length > 0)('refuses a URL that is not loopback without --allow-live, and a missing URL (exit 2)', async () => {
    const live = await script(['https://chat.tryfluxra.com']);
    expect(live.code).toBe(2);
    expect(live.out).toContain('--allow-live');
    expect((await script([])).code).toBe(2);
  });

  it.skipIf(missing.length > 0)('stops with the answer shown when a step fails (exit 1)', async () => {
    const fake = startFakeProcess(['--max-agents', '1']); // the recipient of the shortcut cannot register
    const { code, out } = await script([await fake.url]);
    expect(code, out).toBe(1);
    expect(out).toMatch(/registering the recipient failed: .*CONFLICT/);
    expect(out).not.toContain('QUICKSTART OK');
  }, 90_000);
});
