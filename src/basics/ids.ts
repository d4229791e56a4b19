// Ids and secrets, in the formats openapi.yaml gives (components.schemas AgentId, ConversationId, ...):
// agt_ + 32 hex; conv_/msg_/blk_ + UUID v4; aky_ + 24 hex; secrets rk_/sk_ + 17 URL-safe characters
// (about 101 bits, nanoid's alphabet) so `agt_...:secret` is 57 bytes, the most GNU base64 puts on one
// line: the Quickstart pipes printf into `base64`, which wraps at 76 characters.
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

export function createIds(random: Random): Ids {
  const secret = customRandom(urlAlphabet, SECRET_LENGTH, (size) => random.bytes(size));
  const hex = (bytes: number) => random.bytes(bytes).toString('hex');
  const uuid = () => {
    const b = random.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return {
    agent: () => `agt_${hex(16)}`,
    conversation: () => `conv_${uuid()}`,
    message: () => `msg_${uuid()}`,
    block: () => `blk_${uuid()}`,
    key: () => `aky_${hex(12)}`,
    jti: () => hex(16),
    recoveryKey: () => `rk_${secret()}`,
    apiKey: () => `sk_${secret()}`,
    verificationCode: () => String(random.bytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0'),
    hex,
  };
}
