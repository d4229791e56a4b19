// The fake's one source of randomness. Unseeded it is crypto.randomBytes; seeded, a SHA-256 counter
// stream, so ids, secrets, codes and the JWT key repeat exactly from run to run (`--seed N`).
import { createHash, randomBytes } from 'node:crypto';

export interface Random {
  bytes(n: number): Buffer;
}

export function createRandom(seed?: string | number): Random {
  if (seed === undefined || seed === null || seed === '') return { bytes: (n) => randomBytes(n) };
  let counter = 0;
  let pool = Buffer.alloc(0);
  return {
    bytes(n) {
      while (pool.length < n) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        pool = Buffer.concat([pool, block]);
      }
      const out = pool.subarray(0, n);
      pool = pool.subarray(n);
      return Buffer.from(out);
    },
  };
}
