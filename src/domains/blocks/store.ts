// Blocks owned by an agent: of another agent (target_type agent) or of a group conversation.
import type { Clock } from '../../basics/clock.ts';
import { untaken, type Ids } from '../../basics/ids.ts';

export interface BlockRecord {
  block_id: string;
  owner_id: string;
  target_type: 'group' | 'agent';
  target_id: string;
  created_at: Date;
  seq: number;
}

export const emptyBlockData = () => ({
  blocks: new Map<string, BlockRecord>(),
  /** owner|target_type|target_id -> block_id */
  byKey: new Map<string, string>(),
  seq: 0,
});
export type BlockData = ReturnType<typeof emptyBlockData>;

export function createBlockStore(deps: { ids: Ids; clock: Clock }, data: BlockData = emptyBlockData()) {
  const { blocks, byKey } = data;
  const key = (owner: string, type: string, target: string) => `${owner}|${type}|${target}`;

  return {
    get: (blockId: string): Readonly<BlockRecord> | undefined => blocks.get(blockId),
    all: (): Readonly<BlockRecord>[] => [...blocks.values()],
    find: (owner: string, type: string, target: string): Readonly<BlockRecord> | undefined => {
      const id = byKey.get(key(owner, type, target));
      return id ? blocks.get(id) : undefined;
    },
    add(owner: string, targetType: 'group' | 'agent', targetId: string): Readonly<BlockRecord> {
      const record: BlockRecord = {
        block_id: untaken(deps.ids.block, (id) => blocks.has(id)),
        owner_id: owner,
        target_type: targetType,
        target_id: targetId,
        created_at: deps.clock.now(),
        seq: ++data.seq,
      };
      blocks.set(record.block_id, record);
      byKey.set(key(owner, targetType, targetId), record.block_id);
      return record;
    },
    remove(blockId: string) {
      const record = blocks.get(blockId);
      if (!record) return false;
      blocks.delete(blockId);
      byKey.delete(key(record.owner_id, record.target_type, record.target_id));
      return true;
    },
    /** the owner's blocks in creation order */
    ownedBy: (owner: string): Readonly<BlockRecord>[] => [...blocks.values()].filter((b) => b.owner_id === owner).sort((a, b) => a.seq - b.seq),
    blocksAgent: (owner: string, target: string) => byKey.has(key(owner, 'agent', target)),
    blocksGroup: (owner: string, conversationId: string) => byKey.has(key(owner, 'group', conversationId)),
  };
}

export type BlockStore = ReturnType<typeof createBlockStore>;
