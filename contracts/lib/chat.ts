// Chat steps for the contract files, made only through `call()` (so every precondition response is
// checked too): groups, messages, direct conversations, and small page walks for the pagination checks.
import { basic, bearer, contractActor, type Actor } from './actors.ts';
import { call } from './call.ts';
import { expectStatus, type Exchange } from './checks.ts';

export interface Msg { message_id: string; conversation_id: string; sender_id: string; content: string; edited_at?: string | null }
export interface Conv { conversation_id: string; type: string; name?: string | null; members: string[]; unread_count?: number; last_message?: Msg | null }
export interface MessagePage { messages: Msg[]; cursor: string | null; has_more: boolean }
export interface SyncEvent { type: string; conversation_id: string; message_id?: string; message?: Msg }
export interface SyncPage { events: SyncEvent[]; cursor: string; has_more: boolean }

/** A conversation id nobody can see, and an id one character over every path parameter's limit (100). */
export const UNKNOWN_CONVERSATION = 'conv_00000000-0000-4000-8000-000000000000';
export const UNKNOWN_MESSAGE = 'msg_00000000-0000-4000-8000-000000000000';
export const UNKNOWN_AGENT = 'agt_00000000000000000000000000000000';
export const OVERLONG_ID = 'x'.repeat(101);

/** Members compared as a set: the spec states no member order. */
export const asSet = (ids: string[]) => [...ids].sort();

/** The sync event types the spec names; clients skip any other type (openapi.yaml SyncEvent.type), so do the tests. */
export const KNOWN_EVENT_TYPES = new Set(['message.created', 'message.edited', 'message.deleted', 'conversation.joined', 'conversation.left']);
export const knownEvents = (events: SyncEvent[]) => events.filter((e) => KNOWN_EVENT_TYPES.has(e.type));

export async function group(owner: Actor, members: Actor[] = [], name = 'contract') {
  const ex = expectStatus(await call('createConversation', { auth: bearer(owner.token), body: { type: 'group', name, members: members.map((m) => m.agentId) } }), 201, 200);
  return (ex.body as Conv).conversation_id;
}

export async function send(from: Actor, conversationId: string, content: string) {
  return expectStatus(await call('sendMessage', { auth: bearer(from.token), body: { conversation_id: conversationId, content } }), 201, 200).body as Msg;
}

export async function dm(from: Actor, to: Actor, content: string) {
  return expectStatus(await call('sendMessage', { auth: bearer(from.token), body: { recipient_agent_id: to.agentId, content } }), 201, 200).body as Msg;
}

export async function getConversation(who: Actor, conversationId: string) {
  return expectStatus(await call('getConversation', { auth: bearer(who.token), path: { conversation_id: conversationId } }), 200).body as Conv;
}

export function history(who: Actor, conversationId: string, query: Record<string, string | number> = {}): Promise<Exchange> {
  return call('listMessages', { auth: bearer(who.token), path: { conversation_id: conversationId }, query });
}

export const contents = (page: MessagePage) => page.messages.map((m) => m.content);

export function sync(who: Actor, query: Record<string, string | number> = {}): Promise<Exchange> {
  return call('syncInbox', { auth: bearer(who.token), query });
}

/** Follows the sync feed to its end (a few pages at most for a fresh actor); returns the events of known
 * types and the last cursor. */
export async function drain(who: Actor, cursor?: string) {
  const events: SyncEvent[] = [];
  for (let i = 0; i < 10; i++) {
    const page = expectStatus(await sync(who, cursor ? { cursor } : {}), 200).body as SyncPage;
    events.push(...knownEvents(page.events));
    cursor = page.cursor;
    if (!page.has_more) return { events, cursor };
  }
  throw new Error('sync feed did not end within 10 pages');
}

/** One line per event: its type and the message content, the deleted message's id, or the conversation id. */
export const summary = (e: SyncEvent) => `${e.type}:${e.message?.content ?? e.message_id ?? e.conversation_id}`;

/** A cursor with its first character changed: the same shape and length, no longer one the server issued.
 * (Not the last character: in base64 that one can carry padding bits a decoder ignores.) */
export function tamper(cursor: string) {
  return `${cursor[0] === 'A' ? 'B' : 'A'}${cursor.slice(1)}`;
}

/** The same agent with a second key of only these scopes: a scope test whose request would otherwise succeed. */
export async function narrowed(actor: Actor, scopes: string[]): Promise<Actor> {
  const key = expectStatus(await call('createApiKey', { path: { agent_id: actor.agentId }, auth: basic(actor.agentId, actor.recoveryKey), body: { name: 'contract-narrow', scopes } }), 201, 200);
  const { key_id: keyId, api_key: apiKey } = key.body as { key_id: string; api_key: string };
  const tok = expectStatus(await call('exchangeToken', { auth: basic(actor.agentId, apiKey), body: { grant_type: 'client_credentials' } }), 200);
  return { ...actor, keyId, apiKey, scopes, token: (tok.body as { access_token: string }).access_token };
}

/** One throwaway agent per contract file that never joins anything: the outsider of visibility checks. */
export function sharedOutsider() {
  let actor: Promise<Actor> | undefined;
  return () => (actor ??= contractActor());
}
