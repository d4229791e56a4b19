// Secret redaction for every output of the suite (console, JUnit, JSON, assertion messages). Two layers:
// patterns (`redact`), which hold in any process and against a server whose secret formats differ from
// the fake's, and the literal values a run actually saw (`Redactor`): the CLI's governor harvests every
// value of a secret or token field and every credential sent (see `harvestSecrets`), so a secret is
// redacted wherever it shows up and whatever it looks like, also bare in an assertion diff.
const SECRET_FIELD_NAMES = ['recovery_key', 'api_key', 'access_token', 'refresh_token', 'id_token', 'token', 'secret', 'client_secret', 'password', 'authorization'];

const RULES: [RegExp, string][] = [
  // Credentials inside a URL (http://user:password@host, http://token@host): the whole userinfo.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, '$1[REDACTED]@'],
  // Authorization values of either scheme, wherever they are quoted.
  [/\b(Basic)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 [REDACTED]'],
  [/\b(Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 [REDACTED]'],
  // JSON fields that carry secrets, whatever the value's format ("api_key":"...", api_key: '...').
  [/(["']?(?:recovery_key|api_key|access_token|refresh_token|id_token|client_secret|secret|password|authorization)["']?\s*[:=]\s*["'])[^"']*(["'])/gi, '$1[REDACTED]$2'],
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
export function redactDeep<T>(value: T, clean: (s: string) => string = redact): T {
  if (typeof value === 'string') return clean(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, clean)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, clean)])) as T;
  }
  return value;
}

/** A short, redacted rendering of a response body for assertion messages. */
export function quoteBody(body: unknown, max = 400): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  const red = redact(text);
  return red.length > max ? `${red.slice(0, max)}...` : red;
}

/** Shorter values are not replaced literally (they would mangle ordinary words); the patterns still apply. */
const MIN_LITERAL = 6;

/** The literal secrets of one run (per CLI run, never a module singleton), then the patterns. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private sorted: string[] | undefined;

  add(value: string | undefined) {
    if (!value || value.length < MIN_LITERAL || this.secrets.has(value)) return;
    this.secrets.add(value);
    // The forms a value may take in an output: as is, percent-encoded (a URL), JSON-escaped.
    for (const form of [encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) if (form.length >= MIN_LITERAL) this.secrets.add(form);
    this.sorted = undefined;
  }

  get size() {
    return this.secrets.size;
  }

  readonly clean = (text: string): string => {
    this.sorted ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const s of this.sorted) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return redact(out);
  };
}

// Field names: the documented secrets, and any *_token, *_secret, *_password, *_key (never *_key_id).
const isSecretField = (name: string) => SECRET_FIELD_NAMES.includes(name.toLowerCase()) || /(?:^|_)(?:token|secret|password|key)$/i.test(name);

/** Every credential in a request's Authorization header: the whole value, its token, Basic's decoded parts. */
export function credentialsOf(authorization: string | undefined): string[] {
  if (!authorization) return [];
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  const out = [authorization, value];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    out.push(decoded);
    if (colon >= 0) out.push(decoded.slice(colon + 1));
  }
  return out.filter(Boolean);
}

/** Every string value of a secret or token field anywhere inside a JSON body (requests and responses). */
export function secretValuesOf(body: unknown, depth = 0): string[] {
  if (!body || typeof body !== 'object' || depth > 20) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string' && isSecretField(k)) out.push(v);
    else if (v && typeof v === 'object') out.push(...secretValuesOf(v, depth + 1));
  }
  return out;
}

/** Harvests the secrets of one exchange: request credentials and secret fields of both bodies. */
export function harvestSecrets(redactor: Redactor, exchange: { authorization?: string; requestBody?: string; responseBody?: string }) {
  for (const c of credentialsOf(exchange.authorization)) redactor.add(c);
  for (const text of [exchange.requestBody, exchange.responseBody]) {
    if (!text || !/[[{]/.test(text.slice(0, 8))) continue;
    try {
      for (const s of secretValuesOf(JSON.parse(text))) redactor.add(s);
    } catch { /* not JSON: nothing to harvest */ }
  }
}

/** The URL as it may be shown: no credentials, no trailing slash. */
export function displayUrl(url: URL | string): string {
  const shown = new URL(typeof url === 'string' ? url : url.href);
  shown.username = '';
  shown.password = '';
  return shown.href.replace(/\/+$/, '');
}
