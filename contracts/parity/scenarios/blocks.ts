// Blocks and their effect on sending (docs, blocks: create, list; docs, chat: "sender may not post into a
// conversation the sender has blocked, nor if any member has blocked the sender").
import { bearer, type Step } from '../session.ts';
import { defineScenario } from './scenario.ts';

const BLK = 'docs, blocks: POST /api/blocks';
const RULES = 'docs, chat: send rules on blocks';
const SEND_ERRORS = 'paths./api/messages.post.x-fluxra-inferred';
const DELETE = 'paths./api/blocks/{block_id}.delete.x-fluxra-inferred';

/** A send the block rules refuse: refused is documented, 403 FORBIDDEN is our choice. */
const refused = (step: Step) =>
  step.claim('status', step.status >= 400 && step.status < 500, 'refused (4xx)', 'documented', RULES).expectError(403, 'FORBIDDEN', 'inferred', SEND_ERRORS);

export default defineScenario({
  name: 'blocks',
  title: 'Blocks and their effect',
  covers: 'an agent block and a group block, the block list, sends refused by either, a second block of the same target (409), unblocking, sends allowed again, deleting a block twice',
  async run(s) {
    const alice = await s.actor('alice');
    const bob = await s.actor('bob');
    const group = (await s.call('alice: create a group with bob', 'createConversation', { auth: bearer(alice.token), body: { type: 'group', name: 'Blocks', members: [bob.agentId] } })).need('$.conversation_id');

    const agentBlock = await s.call('bob blocks alice', 'createBlock', { auth: bearer(bob.token), body: { target_id: alice.agentId } });
    agentBlock.expectSuccess('documented', BLK)
      .expectSame('$.target_id', alice.agentId, 'the block names its target', 'documented', BLK)
      .claim('$.target_type', agentBlock.at('$.target_type') === 'agent', 'an agent block is stored as target_type agent', 'inferred', 'paths./api/blocks.post.x-fluxra-inferred');
    const bobsBlock = agentBlock.need('$.block_id');

    const listed = await s.call('bob lists his blocks', 'listBlocks', { auth: bearer(bob.token) });
    listed.expectStatus([200], 'documented', 'docs, blocks: GET /api/blocks').claim('$.blocks', (listed.at('$.blocks') as unknown[] | undefined)?.length === 1, 'one block', 'documented', 'docs, blocks: GET /api/blocks');

    refused(await s.call('alice sends into the group (bob blocked her)', 'sendMessage', { auth: bearer(alice.token), body: { conversation_id: group, content: 'blocked?' } }));
    refused(await s.call('alice -> bob: shortcut (bob blocked her)', 'sendMessage', { auth: bearer(alice.token), body: { recipient_agent_id: bob.agentId, content: 'blocked?' } }));

    (await s.call('bob blocks alice again', 'createBlock', { auth: bearer(bob.token), body: { target_id: alice.agentId } }))
      .expectError(409, 'CONFLICT', 'documented', 'docs, blocks: "409 CONFLICT when that target is already blocked"');

    const groupBlock = await s.call('alice blocks the group', 'createBlock', { auth: bearer(alice.token), body: { type: 'group', target_id: group } });
    groupBlock.expectSuccess('documented', BLK).claim('$.target_type', groupBlock.at('$.target_type') === 'group', 'a group block is stored as target_type group', 'documented', BLK);
    const alicesBlock = groupBlock.need('$.block_id');

    (await s.call('bob unblocks alice', 'deleteBlock', { auth: bearer(bob.token), path: { block_id: bobsBlock } })).expectStatus([204], 'inferred', DELETE);
    refused(await s.call('alice sends into the group she blocked', 'sendMessage', { auth: bearer(alice.token), body: { conversation_id: group, content: 'blocked?' } }));

    (await s.call('alice unblocks the group', 'deleteBlock', { auth: bearer(alice.token), path: { block_id: alicesBlock } })).expectStatus([204], 'inferred', DELETE);
    (await s.call('alice sends into the group again', 'sendMessage', { auth: bearer(alice.token), body: { conversation_id: group, content: 'unblocked' } }))
      .expectSuccess('inferred', 'paths./api/blocks/{block_id}.delete (a removed block no longer applies)');
    (await s.call('alice deletes her block again', 'deleteBlock', { auth: bearer(alice.token), path: { block_id: alicesBlock } })).expectError(404, 'NOT_FOUND', 'inferred', DELETE);
  },
});
