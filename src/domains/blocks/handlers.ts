// Blocks (documented: create, list, delete).
import { notFound } from '../../errors.ts';
import { paginate } from '../../basics/paginate.ts';
import { caller } from '../../handler.ts';
import { defineHandlers } from '../define.ts';
import { block, targetTypeOf } from './blocking.ts';
import { toBlockView } from './views.ts';

export const blockHandlers = defineHandlers({
  createBlock(ctx) {
    // docs, blocks: `group` blocks a conversation; any other value falls back to an agent block.
    const created = block(ctx.state, caller(ctx).agentId, targetTypeOf(ctx.body.type), ctx.body.target_id);
    return { status: 201, body: toBlockView(ctx.state.clock, created) };
  },

  listBlocks(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { page, has_more, next } = paginate(state.stores.blocks.ownedBy(me), (b) => b.seq, ctx.query, state.cursors, `blocks:${me}`);
    return { status: 200, body: { blocks: page.map((b) => toBlockView(state.clock, b)), next_cursor: next, has_more } };
  },

  deleteBlock(ctx) {
    const me = caller(ctx).agentId;
    const found = ctx.state.stores.blocks.get(ctx.params.block_id);
    if (!found || found.owner_id !== me) throw notFound('block not found');
    ctx.state.stores.blocks.remove(found.block_id);
    return { status: 204 };
  },
});
