// Redaction of what the journal keeps (a journal is for reading and sharing; it must never hold a
// credential): Authorization and cookies keep only their scheme, and body fields that carry a secret are
// replaced. The walk is iterative: its depth is the body's, which a client chose (src/basics/json-depth.ts
// bounds it at parse time, and this walker would not overflow even without that bound).

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
/** Fields of responses that reveal a secret once (openapi.yaml: RegisterResponse, CreatedKey, TokenResponse). */
export const RESPONSE_SECRET_FIELDS: ReadonlySet<string> = new Set(['recovery_key', 'api_key', 'access_token', 'refresh_token']);
/** Fields of requests that carry one: the above, revokeToken's `token` and verifyEmail's `code`. */
export const REQUEST_SECRET_FIELDS: ReadonlySet<string> = new Set([...RESPONSE_SECRET_FIELDS, 'token', 'code']);

/** Keeps the scheme (it tells Basic from Bearer when debugging) and hides the credential. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      setOwn(out, lower, lower.endsWith('authorization') && scheme ? `${scheme} ${REDACTED}` : REDACTED);
    } else setOwn(out, lower, value);
  }
  return out;
}

/** Sets an own property, also for the key "__proto__" (a plain assignment would change the prototype). */
export function setOwn(target: Record<string, unknown> | unknown[], key: string, value: unknown) {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/** A copy of a JSON value with every string under a secret field name replaced by REDACTED. */
export function redactBody(body: unknown, secretFields: ReadonlySet<string>): unknown {
  if (body === null || typeof body !== 'object') return body;
  const container = (v: object) => (Array.isArray(v) ? [] : {}) as Record<string, unknown>;
  const root = container(body);
  const stack: [object, Record<string, unknown>][] = [[body, root]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    for (const [key, value] of Object.entries(from)) {
      let copy: unknown = value;
      if (value !== null && typeof value === 'object') stack.push([value, (copy = container(value))]);
      else if (typeof value === 'string' && secretFields.has(key)) copy = REDACTED;
      setOwn(to, key, copy);
    }
  }
  return root;
}
