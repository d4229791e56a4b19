// Secret redaction for every output of the suite (console, JUnit, JSON, assertion messages). It works on
// patterns, not on a list of secrets seen, so it also holds in the reporter process, which never sees
// the secrets the workers created, and against a server whose secret formats differ from the fake's.
const RULES: [RegExp, string][] = [
  // Authorization values of either scheme, wherever they are quoted.
  [/\b(Basic)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 [REDACTED]'],
  [/\b(Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 [REDACTED]'],
  // JSON fields that carry secrets, whatever the value's format ("api_key":"...", api_key: '...').
  [/(["']?(?:recovery_key|api_key|access_token|refresh_token|secret|password|authorization)["']?\s*[:=]\s*["'])[^"']*(["'])/gi, '$1[REDACTED]$2'],
  // The fake's and the docs' secret formats, and any JWT, also when they stand alone.
  [/\b(rk|sk)_[A-Za-z0-9_-]{6,}/g, '$1_[REDACTED]'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[REDACTED-JWT]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Redacts every string inside a JSON-like value (for reports). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}

/** A short, redacted rendering of a response body for assertion messages. */
export function quoteBody(body: unknown, max = 400): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  const red = redact(text);
  return red.length > max ? `${red.slice(0, max)}...` : red;
}
