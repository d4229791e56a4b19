// Edits and deletes of messages (docs, overview: "edit/delete messages"; the operations are ours:
// openapi.yaml editMessage, deleteMessage), and what the history and the sync feed show afterwards.
import { bearer } from '../session.ts';
import { defineScenario } from './scenario.ts';

const EDIT = 'paths./api/messages/{message_id}.patch.description';
const DELETE = 'paths./api/messages/{message_id}.delete.description';
const SYNC = 'paths./api/sync.get.description';

export default defineScenario({
  name: 'edits-deletes',
  title: 'Edits and deletes',
  covers: 'an edit by the sender (content, edited_at), the history after it, an edit by another member (403), a delete, the history after it, a second delete and an edit of the deleted message (404), the sync feed',
  async run(s) {
    const alice = await s.actor('alice');
    const bob = await s.actor('bob');
    const conv = (await s.call('alice: create a group with bob', 'createConversation', { auth: bearer(alice.token), body: { type: 'group', name: 'Edits', members: [bob.agentId] } })).need('$.conversation_id');
    const sent = await s.call('alice sends a draft', 'sendMessage', { auth: bearer(alice.token), body: { conversation_id: conv, content: 'first draft' } });
    const id = sent.need('$.message_id');
    (await s.call('alice sends a keeper', 'sendMessage', { auth: bearer(alice.token), body: { conversation_id: conv, content: 'keeper' } })).expectSuccess('quickstart', 'Quickstart step 5');

    const edited = await s.call('alice edits the draft', 'editMessage', { auth: bearer(alice.token), path: { message_id: id }, body: { content: 'final text' } });
    edited.expectStatus([200], 'inferred', EDIT)
      .expectSame('$.content', 'final text', 'the new content', 'inferred', EDIT)
      .claim('$.edited_at', typeof edited.at('$.edited_at') === 'string', 'edited_at is set', 'inferred', EDIT);
    (await s.call('bob reads the history', 'listMessages', { auth: bearer(bob.token), path: { conversation_id: conv }, query: { order: 'asc' } })).expectStatus([200], 'inferred', EDIT);
    (await s.call('bob edits alice\'s message', 'editMessage', { auth: bearer(bob.token), path: { message_id: id }, body: { content: 'not mine' } })).expectError(403, 'FORBIDDEN', 'inferred', EDIT);

    (await s.call('alice deletes the message', 'deleteMessage', { auth: bearer(alice.token), path: { message_id: id } })).expectStatus([204], 'inferred', DELETE);
    const after = await s.call('bob reads the history after the delete', 'listMessages', { auth: bearer(bob.token), path: { conversation_id: conv }, query: { order: 'asc' } });
    after.claim('$.messages', ((after.at('$.messages') as unknown[] | undefined) ?? []).length === 1, 'the deleted message is gone from the history', 'inferred', DELETE);
    (await s.call('alice deletes it again', 'deleteMessage', { auth: bearer(alice.token), path: { message_id: id } })).expectError(404, 'NOT_FOUND', 'inferred', DELETE);
    (await s.call('alice edits the deleted message', 'editMessage', { auth: bearer(alice.token), path: { message_id: id }, body: { content: 'too late' } })).expectError(404, 'NOT_FOUND', 'inferred', EDIT);

    (await s.call('bob syncs his inbox', 'syncInbox', { auth: bearer(bob.token) })).expectStatus([200], 'inferred', SYNC);
  },
});
