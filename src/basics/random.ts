// The fake's one source of randomness. Unseeded it is crypto.randomBytes (small draws from a pooled
// buffer of it, each byte handed out once); seeded, a SHA-256 counter
// stream, so ids, secrets, codes and the JWT key repeat exactly from run to run (`--seed N`).
// The stream's position lives in the tenant's plain data (a snapshot carries it), and byte n of a seeded
// stream depends only on the seed and n: a restored tenant continues from where the snapshot's stream
// stood (or from further on), never from the start, so it cannot draw the same ids and secrets again.
import { createHash, randomBytes } from 'node:crypto';

export interface Random {
  bytes(n: number): Buffer;
}

export interface RandomData {
  /** bytes drawn so far */
  position: number;
}

export const emptyRandomData = (): RandomData => ({ position: 0 });

const BLOCK = 32; // SHA-256 output bytes
/** Unseeded draws of ids' size come from a buffer filled this many bytes at a time: one call into the CSPRNG per 64 ids, not per id. */
const POOL_BYTES = 1024;
const POOLED_UP_TO = 32;

export function createRandom(seed?: string | number, data: RandomData = emptyRandomData()): Random {
  if (seed === undefined || seed === null || seed === '') {
    let pool = Buffer.alloc(0);
    let offset = 0;
    return {
      bytes(n) {
        data.position += n;
        if (n > POOLED_UP_TO) return randomBytes(n);
        if (offset + n > pool.length) {
          pool = randomBytes(POOL_BYTES);
          offset = 0;
        }
        // A copy: callers may change their bytes (the UUID version bits), and keep them (keys).
        const out = Buffer.allocUnsafe(n);
        pool.copy(out, 0, offset, (offset += n));
        return out;
      },
    };
  }
  const block = (i: number) => createHash('sha256').update(`${seed}:${i}`).digest();
  return {
    bytes(n) {
      const out = Buffer.alloc(n);
      let written = 0;
      while (written < n) {
        const at = data.position + written;
        const offset = at % BLOCK;
        const chunk = block(Math.floor(at / BLOCK)).subarray(offset, offset + Math.min(BLOCK - offset, n - written));
        chunk.copy(out, written);
        written += chunk.length;
      }
      data.position += n;
      return out;
    },
  };
}
