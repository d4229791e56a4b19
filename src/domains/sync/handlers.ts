// The inbox sync feed (what `fluxra chat sync once` polls): every change visible to the caller, in the
// global sequence order (src/basics/sequence.ts). A message sits at its update position (send, edit or delete), so a change made
// after a cursor was handed out always lies after it; nothing is skipped or repeated across pages.
import { caller } from '../../handler.ts';
import type { Schema } from '../../spec/schema-types.ts';
import { defineHandlers } from '../define.ts';
import { toMembershipEventView, toMessageEventView } from './views.ts';

type Entry = { seq: number; view: () => Schema<'SyncEvent'> };

export const syncHandlers = defineHandlers({
  syncInbox(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { conversations, messages } = state.stores;
    const { clock } = state;
    const list = `sync:${me}`;
    const after = ctx.query.cursor ? Number(state.cursors.decode(list, ctx.query.cursor).after) : 0;
    const limit = ctx.query.limit!; // openapi.yaml's default applies

    const entries: Entry[] = [];
    for (const c of conversations.forMember(me)) {
      // A late joiner's feed starts at its join; older messages stay readable through listMessages.
      const from = Math.max(after, conversations.memberState(c, me).joined_seq);
      // Each conversation gives at most limit + 1 changes: enough to fill the page and know if more follow.
      for (const m of messages.changesAfter(c.conversation_id, from, limit + 1)) {
        entries.push({ seq: m.update_seq, view: () => toMessageEventView(clock, m) });
      }
    }
    for (const e of conversations.membershipEventsOf(me)) {
      if (e.seq > after) entries.push({ seq: e.seq, view: () => toMembershipEventView(clock, e) });
    }
    entries.sort((a, b) => a.seq - b.seq);
    const page = entries.slice(0, limit);
    const has_more = entries.length > limit;
    // On the last page every visible change up to the current position has been served, so the cursor
    // can move there: positions not in this feed now can never enter it later (changes take new ones).
    const position = has_more ? page[page.length - 1].seq : Math.max(after, state.sequence.current());
    return {
      status: 200,
      body: { events: page.map((e) => e.view()), cursor: state.cursors.encode(list, { after: position }), has_more },
    };
  },
});
