// A client generated from openapi.yaml as most client developers start (issue 9, item 8):
// openapi-typescript at its default settings writes the types into a temp directory, a Quickstart program
// written against openapi-fetch (also at its defaults) must compile under `tsc --strict` with every
// declaration checked, and then runs against a fake: register, API key, token, group conversation, send,
// the direct-message shortcut twice, history. The program's type assertions are the point: optional
// request fields stay optional, the documented response enums are unions, errors are the envelope.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, startFake, type RunningFake } from '../src/index.ts';
import { ROOT, run } from './support/consumer-project.ts';

const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');
const OPENAPI_TS = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

const PROGRAM = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type Schemas = components['schemas'];
type Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Request fields the docs make optional are optional, defaults or not.
const dm: Schemas['SendMessageRequest'] = { recipient_agent_id: 'agt_target', content: 'Hello directly' };
const group: Schemas['CreateConversationRequest'] = {};
// The response enums are unions, not string.
const enums: [
  Equals<Schemas['Message']['type'], 'text' | 'command' | 'system'>,
  Equals<Schemas['Conversation']['type'], 'group' | 'direct'>,
  Equals<Schemas['Block']['target_type'], 'group' | 'agent'>,
  Equals<Schemas['AgentProfile']['presence'], 'online' | 'away' | 'offline'>,
] = [true, true, true, true];
void dm; void group; void enums;

const client = createClient<paths>({ baseUrl: process.argv[2] });
const basic = (id: string, secret: string) => \`Basic \${Buffer.from(\`\${id}:\${secret}\`).toString('base64')}\`;
function ok<T>(step: string, r: { data?: T; error?: Schemas['Error']; response: Response }): T {
  // error is the documented envelope (not Error | string): its code is readable without a cast
  if (r.data === undefined) throw new Error(\`\${step}: \${r.response.status} \${r.error?.error.code} \${r.error?.error.message}\`);
  return r.data;
}

// Quickstart step 1 to 5, as written there.
const agent = ok('register', await client.POST('/api/auth/register', {
  body: { agent_name: 'weather-bot', email: 'bot@example.com', metadata: { description: 'Weather assistant', owner: 'Example Org', version: '1.0.0' } },
}));
const key = ok('api key', await client.POST('/api/agents/{agent_id}', {
  params: { path: { agent_id: agent.agent_id } },
  headers: { Authorization: basic(agent.agent_id, agent.recovery_key) },
  body: { name: 'cli', scopes: ['messages:read', 'messages:write', 'conversations:read'] },
}));
const token = ok('token', await client.POST('/api/auth/token', {
  headers: { Authorization: basic(agent.agent_id, key.api_key) },
  body: { grant_type: 'client_credentials' },
}));
const bearer = { Authorization: \`Bearer \${token.access_token}\` };
const conversation = ok('conversation', await client.POST('/api/conversations', { headers: bearer, body: { type: 'group', name: 'Project Team', members: [] } }));
const sent = ok('send', await client.POST('/api/messages', {
  headers: bearer,
  body: { conversation_id: conversation.conversation_id, content: 'Hello from my first integration' },
}));
const kind: 'text' | 'command' | 'system' = sent.type;

// The direct-message shortcut (to a second agent: the Quickstart's agt_target is a placeholder), twice.
const target = ok('register target', await client.POST('/api/auth/register', { body: { agent_name: 'target-bot' } }));
const first = ok('dm', await client.POST('/api/messages', { headers: bearer, body: { recipient_agent_id: target.agent_id, content: 'Hello directly' } }));
const second = ok('dm again', await client.POST('/api/messages', { headers: bearer, body: { recipient_agent_id: target.agent_id, content: 'Hello directly' } }));

const history = ok('history', await client.GET('/api/conversations/{conversation_id}/messages', {
  params: { path: { conversation_id: conversation.conversation_id }, query: { limit: 10 } },
  headers: bearer,
}));
const denied = await client.GET('/api/blocks');
console.log(JSON.stringify({
  kind,
  conversationType: conversation.type,
  history: history.messages.map((m) => m.content),
  dm: [first.conversation_id, second.conversation_id],
  denied: { status: denied.response.status, code: denied.error?.error.code },
}));
`;

let dir: string;
let fake: RunningFake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fluxra-client-'));
  // The program resolves openapi-fetch and Node's types from this repository's devDependencies.
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', 'openapi-fetch'), join(dir, 'node_modules', 'openapi-fetch'));
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'generated-client', private: true, type: 'module' }));
  fake = await startFake({ port: 0 });
}, 60_000);

afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a client generated from openapi.yaml (openapi-typescript + openapi-fetch, default settings)', () => {
  it('names the local fake as the first server, so a client that is given no base URL never calls production', () => {
    expect(new URL(loadSpec().servers![0].url).hostname).toBe('127.0.0.1');
  });

  it('compiles the Quickstart under tsc --strict and runs it against the fake', async () => {
    await run(process.execPath, [OPENAPI_TS, join(ROOT, 'openapi.yaml'), '-o', join(dir, 'api.d.ts')], dir);
    writeFileSync(join(dir, 'quickstart.ts'), PROGRAM);
    const tsconfig = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'] }, files: ['quickstart.ts'] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir); // throws with tsc's errors
    expect(compiled.stdout).toBe('');

    const { stdout } = await run(process.execPath, [join(dir, 'out', 'quickstart.js'), fake.url], dir);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ kind: 'text', conversationType: 'group', history: ['Hello from my first integration'], denied: { status: 401, code: 'UNAUTHORIZED' } });
    expect(result.dm[0]).toMatch(/^conv_/);
    expect(result.dm[1]).toBe(result.dm[0]); // the shortcut found the conversation it made
  }, 300_000);
});
