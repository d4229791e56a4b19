// The message store's indexes (pages, unread counts, change feed) against brute-force definitions, over
// random sends, edits and deletes: the O(log n) answers must equal the obvious O(n) ones.
import { describe, expect, it } from 'vitest';
import { createClock } from '../src/basics/clock.ts';
import { createIds } from '../src/basics/ids.ts';
import { createRandom } from '../src/basics/random.ts';
import { createSequence, emptySequenceData } from '../src/basics/sequence.ts';
import { createMessageStore, type Message } from '../src/domains/messages/store.ts';

function lcg(seed: number) {
  let x = seed;
  return (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
}

describe.each([1, 2, 3, 4, 5])('message indexes, random history %i', (seed) => {
  const rand = lcg(seed);
  const sequence = createSequence(emptySequenceData());
  const store = createMessageStore({ ids: createIds(createRandom(seed)), clock: createClock(new Date('2026-01-01T00:00:00Z')), sequence });
  const convs = ['c1', 'c2'];
  const agents = ['a', 'b', 'c'];
  const sent: Message[] = [];
  for (let i = 0; i < 400; i++) {
    const roll = rand(10);
    if (roll < 7 || sent.length === 0) {
      sent.push(store.add({ conversation_id: convs[rand(2)], sender_id: agents[rand(3)], content: `m${i}`, type: 'text', in_reply_to: null, mention: [] }));
    } else {
      const target = sent[rand(sent.length)];
      if (target.deleted_at) continue;
      if (roll < 9) store.edit(target.message_id, `edited ${i}`);
      else store.remove(target.message_id);
    }
    if (rand(5) === 0) sequence.next(); // positions taken by other events (joins, reads)
  }
  const live = (c: string) => sent.filter((m) => m.conversation_id === c && !m.deleted_at).sort((x, y) => x.seq - y.seq);
  const positions = [0, 1, 57, 200, 311, sequence.current() - 1, sequence.current()];

  it('pages in both directions equal a filter of the live messages', () => {
    for (const c of convs) {
      for (const p of positions) {
        for (const limit of [1, 7, 50]) {
          const asc = live(c).filter((m) => m.seq > p);
          const desc = live(c).filter((m) => m.seq < p).reverse();
          expect(store.page(c, 'asc', limit, p)).toEqual({ page: asc.slice(0, limit), has_more: asc.length > limit });
          expect(store.page(c, 'desc', limit, p)).toEqual({ page: desc.slice(0, limit), has_more: desc.length > limit });
        }
      }
      expect(store.page(c, 'desc', 5).page).toEqual(live(c).reverse().slice(0, 5));
      expect(store.last(c)).toEqual(live(c).at(-1) ?? null);
    }
  });

  it('unread counts equal a count of live messages of others after the read position', () => {
    for (const c of convs) for (const a of agents) for (const p of positions) {
      expect(store.unreadAfter(c, a, p)).toBe(live(c).filter((m) => m.seq > p && m.sender_id !== a).length);
    }
  });

  it('the change feed lists each changed message once, at its latest change, in order', () => {
    for (const c of convs) for (const p of positions) {
      const expected = sent.filter((m) => m.conversation_id === c && m.update_seq > p).sort((x, y) => x.update_seq - y.update_seq);
      expect(store.changesAfter(c, p, 1000)).toEqual(expected);
      expect(store.changesAfter(c, p, 3)).toEqual(expected.slice(0, 3));
    }
  });
});
