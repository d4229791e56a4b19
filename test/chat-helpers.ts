// Shared steps for the chat tests: actors, groups and messages made through the public API.
import { expect } from 'vitest';
import type { Actor } from '../contracts/lib/actors.ts';
import { setupFake, type FakeContext } from './helpers.ts';

export type Fake = FakeContext;

export function chat(f: Fake) {
  const group = async (owner: Actor, members: Actor[] = [], name = 'Team') => {
    const res = await f.as(owner.token, 'post', '/api/conversations').send({ type: 'group', name, members: members.map((m) => m.agentId) });
    expect(res.status).toBe(201);
    return res.body.conversation_id as string;
  };
  const send = async (from: Actor, conversationId: string, content = 'hi') => {
    const res = await f.as(from.token, 'post', '/api/messages').send({ conversation_id: conversationId, content });
    expect(res.status).toBe(201);
    return res.body as { message_id: string; content: string };
  };
  const dm = async (from: Actor, to: Actor, content = 'hi') => {
    const res = await f.as(from.token, 'post', '/api/messages').send({ recipient_agent_id: to.agentId, content });
    expect(res.status).toBe(201);
    return res.body as { message_id: string; conversation_id: string };
  };
  /** An actor whose key has only the given scopes. */
  const scoped = (...scopes: string[]) => f.actor({ scopes });
  return { group, send, dm, scoped };
}

/** A token whose key lacks every Chat scope, for 403 tests. */
export const NO_CHAT_SCOPES = ['presence:update'];

export function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
}

/** A fresh fake with alice, bob and carol, and steps that answer the raw response (for the documented rules). */
export async function world() {
  const ctx = setupFake();
  const [alice, bob, carol] = await Promise.all([ctx.actor({ name: 'alice' }), ctx.actor({ name: 'bob' }), ctx.actor({ name: 'carol' })]);
  const group = async (by = alice, members: string[] = [bob.agentId]) =>
    (await ctx.as(by.token, 'post', '/api/conversations').send({ type: 'group', name: 'Team', members })).body.conversation_id as string;
  const send = (by: typeof alice, body: object) => ctx.as(by.token, 'post', '/api/messages').send(body);
  const block = (by: typeof alice, body: object) => ctx.as(by.token, 'post', '/api/blocks').send(body);
  return { ...ctx, alice, bob, carol, group, send, block };
}
