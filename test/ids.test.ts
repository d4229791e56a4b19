// Ids (src/basics/ids.ts): the UUID-shaped ids are written into one buffer (one flat string each); this
// checks they are exactly what formatting the same random bytes with hex slices gives, and their shapes.
import { describe, expect, it } from 'vitest';
import { createIds } from '../src/basics/ids.ts';
import { createRandom } from '../src/basics/random.ts';

/** The reference: the same 16 bytes as an RFC 4122 version 4 UUID, by string slicing. */
const reference = (bytes: Buffer) => {
  const b = Buffer.from(bytes);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

describe('ids', () => {
  it('writes conv_/msg_/blk_ UUIDs byte for byte as slicing the hex of the same random bytes does', () => {
    const ids = createIds(createRandom('ids-test'));
    const same = createRandom('ids-test');
    for (let i = 0; i < 300; i++) {
      const [kind, prefix] = ([['conversation', 'conv_'], ['message', 'msg_'], ['block', 'blk_']] as const)[i % 3];
      expect(ids[kind]()).toBe(`${prefix}${reference(same.bytes(16))}`);
    }
  });

  it('gives the documented shapes, unseeded too (pooled random bytes)', () => {
    const ids = createIds(createRandom());
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = ids.message();
      expect(id).toMatch(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(2000);
    expect(ids.agent()).toMatch(/^agt_[0-9a-f]{32}$/);
    expect(ids.key()).toMatch(/^aky_[0-9a-f]{24}$/);
  });
});
