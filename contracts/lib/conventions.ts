// The docs' conventions page as values the tests compare with: id formats, RFC 3339 UTC timestamps, and
// the server's own clock (read through GET /health, so no test depends on the client's clock).
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { call } from './call.ts';
import { expectStatus, RFC3339_UTC } from './checks.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** Conventions, ID formats: agt_<32 hex> (lower case in every example), conv_/msg_/blk_<uuid>, aky_... */
export const ID_FORMATS = {
  agent: /^agt_[0-9a-f]{32}$/,
  conversation: new RegExp(`^conv_${UUID}$`),
  message: new RegExp(`^msg_${UUID}$`),
  block: new RegExp(`^blk_${UUID}$`),
  key: /^aky_.+$/,
};

export { RFC3339_UTC };

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** n random characters of [a-zA-Z0-9]: agent names of an exact length that will not collide. */
export const randomName = (n: number) => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** The server's current time, from GET /health (documented: "current time"). */
export async function serverNow() {
  return (await serverClock()).ms;
}

/** The server's current time and whether its timestamp carries fractional seconds (RFC 3339 time-secfrac). */
export async function serverClock() {
  const ts = (expectStatus(await call('getHealth'), 200).body as { timestamp: string }).timestamp;
  expect(ts, 'health timestamp').toMatch(RFC3339_UTC);
  return { ms: Date.parse(ts), fractional: /:\d{2}\.\d+/.test(ts) };
}

/** A timestamp of a response made between two readings of the server's clock (seconds resolution). */
export function expectBetween(label: string, value: string, before: number, after: number) {
  expect(value, `${label} is RFC 3339 in UTC`).toMatch(RFC3339_UTC);
  const t = Date.parse(value);
  expect(t, `${label} ${value} is the server's time of the request`).toBeGreaterThanOrEqual(before - 1000);
  expect(t, `${label} ${value} is the server's time of the request`).toBeLessThanOrEqual(after + 1000);
}
