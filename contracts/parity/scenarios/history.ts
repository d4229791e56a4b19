// History paging: five messages read two at a time newest first, then three at a time oldest first
// (openapi.yaml listMessages, all of it ours: Shape B, the order parameter, the cursor rules).
import { bearer, type Step } from '../session.ts';
import { defineScenario } from './scenario.ts';

const HISTORY = 'paths./api/conversations/{conversation_id}/messages.get.description';

const contents = (step: Step) => ((step.at('$.messages') as { content?: string }[] | undefined) ?? []).map((m) => m.content);
const pageIs = (step: Step, expected: string[], hasMore: boolean) =>
  step.expectStatus([200], 'inferred', HISTORY)
    .claim('$.messages', JSON.stringify(contents(step)) === JSON.stringify(expected), `messages ${expected.join(', ')}`, 'inferred', HISTORY)
    .expectSame('$.has_more', hasMore, `has_more ${hasMore}`, 'inferred', HISTORY);

export default defineScenario({
  name: 'history-paging',
  title: 'History paging',
  covers: 'five messages, then pages of 2 newest first (m5 m4 | m3 m2 | m1, last cursor null) and pages of 3 oldest first (m1 m2 m3 | m4 m5)',
  async run(s) {
    const alice = await s.actor('alice');
    const bob = await s.actor('bob');
    const conv = (await s.call('alice: create a group with bob', 'createConversation', { auth: bearer(alice.token), body: { type: 'group', name: 'History', members: [bob.agentId] } })).need('$.conversation_id');
    for (let i = 1; i <= 5; i++) {
      (await s.call(`alice sends m${i}`, 'sendMessage', { auth: bearer(alice.token), body: { conversation_id: conv, content: `m${i}` } })).expectSuccess('quickstart', 'Quickstart step 5');
    }
    const read = (step: string, query: Record<string, string | number>) => s.call(step, 'listMessages', { auth: bearer(bob.token), path: { conversation_id: conv }, query });

    const d1 = pageIs(await read('bob: newest 2', { limit: 2 }), ['m5', 'm4'], true);
    const d2 = pageIs(await read('bob: next 2', { limit: 2, cursor: d1.need('$.cursor') }), ['m3', 'm2'], true);
    const d3 = pageIs(await read('bob: last page', { limit: 2, cursor: d2.need('$.cursor') }), ['m1'], false);
    d3.expectSame('$.cursor', null, 'no cursor after the last page of a newest-first walk', 'inferred', HISTORY);

    const a1 = pageIs(await read('bob: oldest 3', { limit: 3, order: 'asc' }), ['m1', 'm2', 'm3'], true);
    const a2 = pageIs(await read('bob: next 3 oldest first', { limit: 3, order: 'asc', cursor: a1.need('$.cursor') }), ['m4', 'm5'], false);
    a2.claim('$.cursor', typeof a2.at('$.cursor') === 'string', 'an oldest-first walk always returns a cursor', 'inferred', HISTORY);
  },
});
