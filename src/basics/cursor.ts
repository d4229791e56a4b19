// Opaque cursors (docs, conventions: "cursors are opaque"): base64url of a small JSON position plus an
// HMAC, so a forged or altered cursor is detected and answered 400 INVALID_REQUEST, and a cursor of one
// list cannot be replayed on another (the list's name is part of what is signed).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidRequest } from '../errors.ts';

export interface Cursors {
  encode(list: string, position: Record<string, string | number>): string;
  decode(list: string, cursor: string): Record<string, string | number>;
}

/** `key` is read on every use: a restored snapshot brings its own key (src/control/snapshot.ts). */
export function createCursors(key: () => Uint8Array): Cursors {
  const sign = (list: string, payload: string) => createHmac('sha256', key()).update(`${list}.${payload}`).digest().subarray(0, 12);
  return {
    encode(list, position) {
      const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
      return `${payload}.${sign(list, payload).toString('base64url')}`;
    },
    decode(list, cursor) {
      const [payload, mac, extra] = cursor.split('.');
      const given = mac ? Buffer.from(mac, 'base64url') : Buffer.alloc(0);
      const expected = payload ? sign(list, payload) : Buffer.alloc(0);
      // The MAC must be in canonical form: base64url decoding ignores a trailing partial character.
      const canonical = mac === given.toString('base64url');
      if (extra !== undefined || !payload || !canonical || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalidRequest('cursor is invalid: pass back the cursor of the previous page unchanged');
      }
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    },
  };
}
