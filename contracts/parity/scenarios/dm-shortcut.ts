// The direct-message shortcut both ways: it finds or creates the one deterministic 1:1 conversation of a
// pair (docs, quickstart "Alternative: Direct Message Shortcut"; docs, chat: recipient_agent_id).
import { bearer } from '../session.ts';
import { defineScenario } from './scenario.ts';

const SAME = 'Quickstart, direct message shortcut: "find the existing 1:1 conversation, or create it"';

export default defineScenario({
  name: 'dm-shortcut',
  title: 'The direct-message shortcut, both ways',
  covers: 'alice -> bob twice and bob -> alice through recipient_agent_id land in one conversation; createConversation type direct returns it; both see the three messages',
  async run(s) {
    const alice = await s.actor('alice');
    const bob = await s.actor('bob');
    const first = await s.call('alice -> bob: shortcut', 'sendMessage', { auth: bearer(alice.token), body: { recipient_agent_id: bob.agentId, content: 'Hello directly' } });
    first.expectSuccess('quickstart', SAME);
    const conv = first.need('$.conversation_id');

    const again = await s.call('alice -> bob: shortcut again', 'sendMessage', { auth: bearer(alice.token), body: { recipient_agent_id: bob.agentId, content: 'Hello again' } });
    again.expectSuccess('quickstart', SAME).expectSame('$.conversation_id', conv, 'the same 1:1 conversation', 'quickstart', SAME);

    const back = await s.call('bob -> alice: shortcut', 'sendMessage', { auth: bearer(bob.token), body: { recipient_agent_id: alice.agentId, content: 'Hello back' } });
    back.expectSuccess('quickstart', SAME).expectSame('$.conversation_id', conv, 'the same 1:1 conversation from the other side', 'documented', 'docs, chat: recipient_agent_id "finds or creates the deterministic 1:1 conversation"');

    const direct = await s.call('alice: create the direct conversation with bob', 'createConversation', { auth: bearer(alice.token), body: { type: 'direct', members: [bob.agentId] } });
    direct.expectSame('$.conversation_id', conv, 'type direct returns the pair\'s existing conversation', 'inferred', 'paths./api/conversations.post.description');

    const got = await s.call('bob: get the conversation', 'getConversation', { auth: bearer(bob.token), path: { conversation_id: conv } });
    got.expectStatus([200], 'inferred', 'paths./api/conversations/{conversation_id}.get.description');

    const history = await s.call('bob: read the history, oldest first', 'listMessages', { auth: bearer(bob.token), path: { conversation_id: conv }, query: { order: 'asc' } });
    history.expectStatus([200], 'inferred', 'paths./api/conversations/{conversation_id}/messages.get.description');
  },
});
