// Ids and secrets, in the formats openapi.yaml gives (components.schemas AgentId, ConversationId, ...):
// agt_ + 32 hex; conv_/msg_/blk_ + UUID v4; aky_ + 24 hex; secrets rk_/sk_ + 17 URL-safe characters
// (about 101 bits, nanoid's alphabet) so `agt_...:secret` is 57 bytes, the most GNU base64 puts on one
// line: the Quickstart pipes printf into `base64`, which wraps at 76 characters.
// (The UUID writer below writes exactly what `${hex}`-slicing did, byte for byte: test/ids.test.ts.)
import { customRandom, urlAlphabet } from 'nanoid';
import type { Random } from './random.ts';

export interface Ids {
  agent(): string;
  conversation(): string;
  message(): string;
  block(): string;
  key(): string;
  jti(): string;
  recoveryKey(): string;
  apiKey(): string;
  verificationCode(): string;
  hex(bytes: number): string;
}

const SECRET_LENGTH = 17;

/**
 * A drawn id that is not taken yet. The random stream never repeats itself (src/basics/random.ts), but
 * a restored snapshot may hold ids drawn by another stream: drawing again costs nothing and makes a
 * collision impossible rather than unlikely.
 */
export function untaken(draw: () => string, taken: (id: string) => boolean): string {
  for (let i = 0; i < 100; i++) {
    const id = draw();
    if (!taken(id)) return id;
  }
  throw new Error('could not draw an unused id in 100 tries');
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * `prefix` + a UUID v4 from 16 random bytes, written as ASCII into one buffer and read out as one flat
 * string: a template of slices would leave a tree of string pieces behind every stored id (a message
 * keeps its id for the tenant's lifetime; at a million messages the pieces cost more than the message).
 */
function prefixedUuid(prefix: string, b: Buffer): string {
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const out = Buffer.allocUnsafe(prefix.length + 36);
  let at = out.write(prefix, 'latin1');
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out[at++] = 0x2d; // '-'
    out[at++] = HEX_CODES[b[i] >> 4];
    out[at++] = HEX_CODES[b[i] & 15];
  }
  return out.toString('latin1', 0, at);
}

export function createIds(random: Random): Ids {
  const secret = customRandom(urlAlphabet, SECRET_LENGTH, (size) => random.bytes(size));
  const hex = (bytes: number) => random.bytes(bytes).toString('hex');
  return {
    agent: () => `agt_${hex(16)}`,
    conversation: () => prefixedUuid('conv_', random.bytes(16)),
    message: () => prefixedUuid('msg_', random.bytes(16)),
    block: () => prefixedUuid('blk_', random.bytes(16)),
    key: () => `aky_${hex(12)}`,
    jti: () => hex(16),
    recoveryKey: () => `rk_${secret()}`,
    apiKey: () => `sk_${secret()}`,
    verificationCode: () => String(random.bytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0'),
    hex,
  };
}
