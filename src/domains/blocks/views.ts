import type { Clock } from '../../basics/clock.ts';
import type { Schema } from '../../spec/schema-types.ts';
import type { BlockRecord } from './store.ts';

export const toBlockView = (clock: Clock, b: Readonly<BlockRecord>): Schema<'Block'> => ({
  block_id: b.block_id,
  target_type: b.target_type,
  target_id: b.target_id,
  created_at: clock.iso(b.created_at),
});
