// The fuzz world and the properties every answer must have. One fake, started once on loopback, seeded
// with a known world (two agents and a third, a group, a direct conversation, a message, a block, keys
// and tokens); a case that would end a session or an account runs against a fresh world of its own.
// Properties of each answer: below 500; an error in the documented envelope with a code of the
// catalogue; status, content type and body as the operation documents them. Of the state afterwards
// (`checkInvariants`): the process answers, no response or journal entry shows a secret that was not its
// own to reveal, membership, blocks and indexes agree, and every acknowledged write is stored.
import { Agent, request as httpRequest } from 'node:http';
import { basic, bearer } from '../../contracts/lib/actors.ts';
import { ERROR_STATUS } from '../../src/errors.ts';
import { startFake, type RunningFake } from '../../src/index.ts';
import { validatorsFor } from '../../src/spec/validators.ts';
import type { FuzzCase } from './arbitraries.ts';

export const validators = validatorsFor();
export const { spec, operations } = validators;

/** Operations that spend what they touch: each such case gets a world of its own. */
const CONSUMING = new Set(['deleteAgent', 'revokeApiKey', 'refreshToken', 'revokeToken', 'leaveConversation', 'removeConversationMember', 'deleteMessage', 'deleteBlock', 'createBlock', 'updateConversation', 'addConversationMembers']);

interface World {
  /** the tenant it lives in (a consuming case's world is a tenant of its own, dropped after the case) */
  tenant: string;
  refs: Record<string, string>;
  creds: Record<string, string | undefined>;
  secrets: string[];
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

export async function createFuzzRun(seed: string | number) {
  const fake: RunningFake = await startFake({ port: 0, seed: `fuzz-${seed}` });
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let worlds = 0;
  const acknowledged = { messages: new Set<string>(), agents: new Set<string>() };
  /** Secrets of the fixture worlds: no answer but the one that made it may show one. */
  const secrets = new Set<string>();

  async function newWorld(tenant = 'default'): Promise<World> {
    const n = ++worlds;
    const out = await fake.control.seed({
      agents: [
        { ref: 'me', agent_name: `fuzz-me-${n}`, email: `me${n}@example.com`, keys: [{ token: true }] },
        { ref: 'other', agent_name: `fuzz-other-${n}`, keys: [{ token: true }] },
        { ref: 'third', agent_name: `fuzz-third-${n}` },
      ],
      conversations: [
        { ref: 'conv', name: `fuzz-${n}`, created_by: 'me', members: ['other'], messages: [{ from: 'me', content: 'seed' }] },
        { ref: 'direct', type: 'direct', created_by: 'me', members: ['other'] },
      ],
      blocks: [{ owner: 'me', target: 'third' }],
    }, { tenant });
    const a = out.agents as Record<string, { agent_id: string; recovery_key: string; keys: { key_id: string; api_key: string; access_token: string }[] }>;
    const conv = out.conversations as Record<string, { conversation_id: string; message_ids: string[] }>;
    const me = a.me;
    const world: World = {
      tenant,
      refs: {
        me: me.agent_id, other: a.other.agent_id, third: a.third.agent_id, conv: conv.conv.conversation_id, direct: conv.direct.conversation_id,
        msg: conv.conv.message_ids[0], key: me.keys[0].key_id, block: out.blocks[0].block_id, token: me.keys[0].access_token,
      },
      creds: {
        bearer: bearer(me.keys[0].access_token),
        apiKeyBasic: basic(me.agent_id, me.keys[0].api_key),
        recoveryKeyBasic: basic(me.agent_id, me.recovery_key),
        otherBearer: bearer(a.other.keys[0].access_token),
        otherRecoveryKeyBasic: basic(a.other.agent_id, a.other.recovery_key),
        none: undefined,
        garbageBearer: 'Bearer not.a.jwt',
        algNone: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: me.agent_id, jti: 'x', key_id: me.keys[0].key_id, iss: 'fluxra-fake', exp: 4e9 })).toString('base64url')}.`,
        badBase64: 'Basic !!!',
        noColon: `Basic ${Buffer.from(me.agent_id).toString('base64')}`,
        wrongSecret: basic(me.agent_id, 'sk_wrong_secret_000'),
        digest: 'Digest username="x"',
        emptyBearer: 'Bearer ',
      },
      secrets: [me.recovery_key, me.keys[0].api_key, a.other.recovery_key, a.other.keys[0].api_key],
    };
    for (const s of world.secrets) secrets.add(s);
    return world;
  }

  const main = await newWorld();
  const resolve = (value: unknown, world: World): unknown => {
    if (typeof value === 'string') return value.startsWith('$ref:') ? (world.refs[value.slice(5)] ?? value) : value;
    if (Array.isArray(value)) return value.map((v) => resolve(v, world));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, world)]));
    return value;
  };

  function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    return new Promise((done, fail) => {
      const req = httpRequest(`${fake.url}${path}`, { method: method.toUpperCase(), agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(res.headers['content-type'] ?? '');
          let parsed: unknown = text;
          if (contentType.startsWith('application/json')) parsed = JSON.parse(text);
          done({ status: res.statusCode!, contentType, text, body: text === '' ? undefined : parsed });
        });
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  /** Runs a case; returns the answer and the problems with it (empty: every property holds). */
  async function run(c: FuzzCase): Promise<{ answer: Answer; problems: string[] }> {
    const op = validators.byId.get(c.operationId);
    if (!op) return { answer: { status: 0, contentType: '', text: '', body: undefined }, problems: [`unknown operation ${c.operationId}`] };
    const own = CONSUMING.has(op.operationId);
    const world = own ? await newWorld(`fuzz-world-${worlds + 1}`) : main;
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(resolve(c.path[name] ?? 'x', world))));
    const query = new URLSearchParams(Object.entries(c.query).map(([k, v]) => [k, String(resolve(v, world))])).toString();
    const headers: Record<string, string> = { 'X-Fluxra-Tenant': world.tenant };
    const credential = world.creds[c.credential];
    if (credential) headers.Authorization = credential;
    let body: string | undefined;
    if (c.raw !== undefined) body = c.raw;
    else if (c.body !== undefined) body = JSON.stringify(resolve(c.body, world)) ?? 'null';
    if (body !== undefined) headers['Content-Type'] = c.contentType ?? 'application/json';
    const answer = await send(op.method, query ? `${path}?${query}` : path, headers, body);
    const problems = check(op.operationId, answer, world);
    if (own) {
      fake.control.tenants.delete(world.tenant);
      return { answer, problems };
    }
    if (answer.status === 201 && op.operationId === 'sendMessage') acknowledged.messages.add((answer.body as { message_id: string }).message_id);
    if ((answer.status === 201 || answer.status === 200) && op.operationId === 'registerAgent') acknowledged.agents.add((answer.body as { agent_id: string }).agent_id);
    return { answer, problems };
  }

  const REVEALS = new Set(['registerAgent', 'createApiKey', 'exchangeToken', 'refreshToken']);
  function check(operationId: string, a: Answer, world: World): string[] {
    const problems: string[] = [];
    const op = validators.byId.get(operationId)!;
    if (a.status >= 500) problems.push(`status ${a.status}`);
    if (a.status >= 400) {
      const error = (a.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (!a.contentType.startsWith('application/json') || typeof error?.code !== 'string' || typeof error.message !== 'string' || Object.keys(a.body as object).length !== 1) {
        problems.push(`error not in the envelope: ${a.text.slice(0, 200)}`);
      } else if (!Object.hasOwn(ERROR_STATUS, error.code)) problems.push(`error code ${error.code} is not in the catalogue`);
    }
    const issues = validators.response(op, a.status, a.body === undefined ? undefined : a.contentType, a.body);
    if (issues.length) problems.push(`off-spec answer ${a.status}: ${issues.map((i) => i.message).join('; ')}`);
    if (!REVEALS.has(operationId)) for (const s of world.secrets) if (a.text.includes(s)) problems.push('a secret is readable in the answer');
    return problems;
  }

  /** The state afterwards: alive, no secret in the journal, consistent records, every acknowledged write stored. */
  async function checkInvariants(): Promise<string[]> {
    const problems: string[] = [];
    const health = await send('GET', '/health', {});
    if (health.status !== 200) problems.push(`health ${health.status}`);
    const journal = JSON.stringify(fake.control.journal.list({ tenant: '*' })) + JSON.stringify(fake.control.journal.har({ tenant: '*' }));
    for (const s of secrets) if (journal.includes(s)) problems.push('a secret is readable in the journal');
    const { data } = fake.state();
    for (const [id, c] of data.conversations.conversations) {
      if (new Set(c.members).size !== c.members.length) problems.push(`${id}: a member twice`);
      if (c.type === 'direct') {
        if (c.members.length !== 2) problems.push(`${id}: a direct conversation of ${c.members.length}`);
        const [x, y] = c.members;
        if (data.conversations.directByPair.get(x < y ? `${x}|${y}` : `${y}|${x}`) !== id) problems.push(`${id}: not indexed by its pair`);
      }
      for (const m of c.members) if (!data.agents.agents.has(m)) problems.push(`${id}: member ${m} is no agent`);
    }
    // Who is a member is what the membership log says last.
    const last = new Map<string, string>();
    for (const e of data.conversations.membershipLog) last.set(`${e.conversation_id}|${e.agent_id}`, e.type);
    for (const [key, type] of last) {
      const [conv, who] = key.split('|');
      if ((type === 'joined') !== Boolean(data.conversations.conversations.get(conv)?.members.includes(who))) problems.push(`${key}: log says ${type}`);
    }
    for (const [id, b] of data.blocks.blocks) {
      if (data.blocks.byKey.get(`${b.owner_id}|${b.target_type}|${b.target_id}`) !== id) problems.push(`${id}: block not indexed`);
      if (b.target_type === 'agent' && b.owner_id === b.target_id) problems.push(`${id}: self block`);
    }
    // The main world's block (me blocks third) stands from the start: no 1:1 conversation of that pair may exist.
    const [me, third] = [main.refs.me, main.refs.third];
    if (data.conversations.directByPair.has(me < third ? `${me}|${third}` : `${third}|${me}`)) problems.push('a direct conversation was made despite a block');
    for (const id of acknowledged.messages) {
      const m = data.messages.messages.get(id);
      if (!m || !data.messages.byConversation.get(m.conversation_id)?.includes(id)) problems.push(`acknowledged message ${id} is not stored`);
    }
    for (const id of acknowledged.agents) if (!data.agents.agents.has(id)) problems.push(`acknowledged agent ${id} is not stored`);
    return problems;
  }

  return {
    fake,
    run,
    checkInvariants,
    acknowledged,
    async close() {
      agent.destroy();
      await fake.close({ gracePeriodMs: 0 });
    },
  };
}

export type FuzzRun = Awaited<ReturnType<typeof createFuzzRun>>;
