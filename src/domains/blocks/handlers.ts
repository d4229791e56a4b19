import { conflict, invalidTarget, notFound } from '../../http/errors.ts';
import { paginate } from '../../http/paginate.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import type { BlockRecord } from './store.ts';
import type { Clock } from '../../state/clock.ts';

const toBlockView = (clock: Clock, b: BlockRecord) => ({
  block_id: b.block_id,
  target_type: b.target_type,
  target_id: b.target_id,
  created_at: clock.iso(b.created_at),
});

export const blockHandlers = defineHandlers({
  createBlock(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    // docs, blocks: `group` blocks a conversation; any other value falls back to an agent block.
    const targetType = ctx.body.type === 'group' ? 'group' : 'agent';
    const targetId: string = ctx.body.target_id;
    if (targetType === 'group') {
      if (!state.stores.conversations.isMember(targetId, me)) throw invalidTarget('target_id is not a conversation you belong to');
    } else {
      if (targetId === me) throw invalidTarget('you cannot block yourself');
      if (!state.stores.agents.get(targetId)) throw invalidTarget('target_id is not an existing agent');
    }
    if (state.stores.blocks.find(me, targetType, targetId)) throw conflict('target already blocked');
    return { status: 201, body: toBlockView(state.clock, state.stores.blocks.add(me, targetType, targetId)) };
  },

  listBlocks(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { page, has_more, next } = paginate(state.stores.blocks.ownedBy(me), (b) => b.seq, ctx.query, state.cursors, `blocks:${me}`);
    return { status: 200, body: { blocks: page.map((b) => toBlockView(state.clock, b)), next_cursor: next, has_more } };
  },

  deleteBlock(ctx) {
    const me = caller(ctx).agentId;
    const block = ctx.state.stores.blocks.blocks.get(ctx.params.block_id);
    if (!block || block.owner_id !== me) throw notFound('block not found');
    ctx.state.stores.blocks.remove(block.block_id);
    return { status: 204 };
  },
});
