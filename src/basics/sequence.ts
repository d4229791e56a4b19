// The tenant's global sequence: one counter for every change that a feed must order (messages sent,
// edited and deleted; members joining and leaving), so cursors are positions in a total order and
// ordering never depends on timestamp ties. The counter lives in the tenant's plain data (snapshots).
export interface SequenceData {
  value: number;
}

export interface Sequence {
  /** draws the next position */
  next(): number;
  /** the last position handed out */
  current(): number;
}

export const emptySequenceData = (): SequenceData => ({ value: 0 });

export function createSequence(data: SequenceData): Sequence {
  return {
    next: () => ++data.value,
    current: () => data.value,
  };
}
