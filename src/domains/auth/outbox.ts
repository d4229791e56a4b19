// The outbox: the verification emails the fake would have sent, with their plain codes (the agent
// record holds only a hash). It stands in for the mail system; the control plane reads and clears it.
export interface OutboxEmail {
  to: string;
  agent_id: string;
  subject: string;
  code: string;
  sent_at: string;
  expires_at: string;
}

export const emptyOutboxData = () => [] as OutboxEmail[];
export type OutboxData = ReturnType<typeof emptyOutboxData>;

export function createOutbox(data: OutboxData = emptyOutboxData()) {
  const matches = (filter: { agent_id?: string }) => (e: OutboxEmail) => !filter.agent_id || e.agent_id === filter.agent_id;
  return {
    send: (email: OutboxEmail) => void data.push({ ...email }),
    /** Oldest first, as copies. */
    list: (filter: { agent_id?: string } = {}): OutboxEmail[] => data.filter(matches(filter)).map((e) => ({ ...e })),
    last: (agentId: string): OutboxEmail | undefined => data.filter((e) => e.agent_id === agentId).at(-1),
    /** Removes the matching emails; returns how many. */
    clear(filter: { agent_id?: string } = {}): number {
      const keep = data.filter((e) => !matches(filter)(e));
      const removed = data.length - keep.length;
      // In place (the tenant's data holds this array); no spread, which overflows on a long outbox.
      data.length = 0;
      for (const e of keep) data.push(e);
      return removed;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
