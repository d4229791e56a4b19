// Secrets are stored only as SHA-256 hashes. Recovery and API keys carry about 101 random bits, so a
// fast hash is enough (a slow KDF protects low-entropy passwords, which these are not); comparison is
// constant-time.
import { createHash, timingSafeEqual } from 'node:crypto';

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
