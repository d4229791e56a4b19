// JSON paths as parity writes them: `$`, `$.messages[0].content`, `$["odd key"]`. Status and headers use
// the pseudo-paths `status` and `header.<name>` so one field names any place of an exchange.
export type Segment = string | number;

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatPath(segments: Segment[]): string {
  let out = '$';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : PLAIN.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  return out;
}

export function child(path: string, segment: Segment): string {
  return typeof segment === 'number' ? `${path}[${segment}]` : PLAIN.test(segment) ? `${path}.${segment}` : `${path}[${JSON.stringify(segment)}]`;
}

export function parsePath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new Error(`not a body path: ${path}`);
  const out: Segment[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m) throw new Error(`bad JSON path ${path} at ${at}`);
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string)));
  }
  return out;
}

export function get(value: unknown, segments: Segment[]): unknown {
  let node = value;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

/** The last field name of a path (`$.keys[0].scopes[1]` -> `scopes`), or undefined at the root. */
export function lastField(path: string): string | undefined {
  if (!path.startsWith('$')) return undefined;
  return parsePath(path).filter((s): s is string => typeof s === 'string').pop();
}

/** True when `path` is `prefix` or lies inside it. */
export function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}
