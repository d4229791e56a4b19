// The named checks. Automatic ones run on every response `call()` receives; the others are asserted by
// tests. Each returns a list of problems (empty: passed) so a failure names the check that caught it.
import { createValidators, type SpecValidators } from '../../src/spec/validators.ts';
import type { Operation } from '../../src/spec/operations.ts';
import { currentTest, restsOnDocumentedFacts } from './context.ts';
import { quoteBody } from './redact.ts';
import { describeIssue, headerIssues, responseIssues, type View, type ViewIssue } from './views.ts';

let validators: SpecValidators | undefined;
export const spec = () => (validators ??= createValidators());

export interface Exchange {
  op: Operation;
  method: string;
  path: string;
  status: number;
  contentType: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export type Check = (ex: Exchange) => string[];

/** status-documented: the status is one the spec lists for the operation. */
const statusDocumented: Check = (ex) =>
  ex.op.responses[String(ex.status)] ? [] : [`status ${ex.status} is not documented for ${ex.op.operationId} (documented: ${Object.keys(ex.op.responses).join(', ')})`];

/** content-type: the media type is one the spec lists for that status (none for a body-less status). */
export const contentType: Check = (ex) => {
  const documented = ex.op.responses[String(ex.status)];
  if (!documented) return [];
  const types = Object.keys(documented.content);
  const actual = (ex.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (types.length === 0) return ex.text.length === 0 ? [] : [`status ${ex.status} documents no body, got ${ex.text.length} bytes`];
  return types.includes(actual) ? [] : [`content type "${ex.contentType ?? ''}" is not documented for ${ex.status} (documented: ${types.join(', ')})`];
};

/** The view a test's verdict rests on: documented facts only in quickstart and documented tests. */
const viewNow = (): View => (restsOnDocumentedFacts() ? 'documented' : 'full');

const bodyIssues = (ex: Exchange, view: View): ViewIssue[] =>
  statusDocumented(ex).length || contentType(ex).length ? [] : responseIssues(view, ex.op, ex.status, ex.contentType, ex.status === 204 ? undefined : ex.body);

/** schema: the body matches the response schema of the test's view (contracts/lib/views.ts). */
export const schema: Check = (ex) => bodyIssues(ex, viewNow()).map(describeIssue);

/** documented-headers: every response header the spec documents for the status is there and well-formed. */
export const documentedHeaders: Check = (ex) => (statusDocumented(ex).length ? [] : headerIssues(viewNow(), ex.op, ex.status, ex.headers).map(describeIssue));

/** What the full view adds to a quickstart or documented test's exchange: our inferred choices it missed. */
export interface InferredFinding {
  file: string;
  test: string;
  exchange: string;
  issues: string[];
}
const findings: InferredFinding[] = [];

/** The inferred deviations recorded so far in one contract file's quickstart and documented tests. */
export const inferredFindings = (file: string) => findings.filter((f) => f.file === file);

function recordInferredParts(ex: Exchange) {
  const test = currentTest();
  if (!test) return;
  const issues = [...bodyIssues(ex, 'full'), ...(statusDocumented(ex).length ? [] : headerIssues('full', ex.op, ex.status, ex.headers))];
  if (issues.length) findings.push({ file: test.file, test: test.name, exchange: `${ex.op.operationId} ${ex.method.toUpperCase()} ${ex.path} -> ${ex.status}`, issues: issues.map(describeIssue) });
}

/** error-envelope: a JSON error is {"error":{"code","message"}} with an upper-case code. */
const errorEnvelope: Check = (ex) => {
  if (ex.status < 400) return [];
  const type = (ex.contentType ?? '').toLowerCase();
  // The docs warn some auth middleware answers 401 in plain text; the spec allows it.
  if (ex.status === 401 && type.startsWith('text/plain')) return [];
  const err = (ex.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (!type.includes('json') || !err || typeof err.code !== 'string' || !/^[A-Z_]+$/.test(err.code) || typeof err.message !== 'string') {
    return [`status ${ex.status} does not carry the error envelope {"error":{"code","message"}}: ${quoteBody(ex.text || ex.body)}`];
  }
  return [];
};

/** RFC 3339 with a UTC offset: `Z` (as in every example of the docs) or +00:00. */
export const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]00:00)$/i;

/** timestamps-utc: every timestamp of a body (a `*_at` field, health's `timestamp`) is RFC 3339 in UTC (conventions). */
const timestampsUtc: Check = (ex) => {
  const problems: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, `${path}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (typeof v === 'string' && (/_at$/.test(k) || k === 'timestamp') && !RFC3339_UTC.test(v)) problems.push(`${path}/${k} "${v}" is not an RFC 3339 UTC timestamp`);
        else visit(v, `${path}/${k}`);
      }
    }
  };
  if (ex.status < 300) visit(ex.body, 'body');
  return problems;
};

/** Secrets shown once: where each was shown, so a second appearance names its origin. */
const shownSecrets = new Map<string, string>();
const SECRET_FIELDS: Record<string, string[]> = { registerAgent: ['recovery_key'], createApiKey: ['api_key'] };

/** one-time-secret: a recovery_key or api_key never appears in any later response. */
const oneTimeSecret: Check = (ex) => {
  const problems: string[] = [];
  for (const [secret, origin] of shownSecrets) {
    if (ex.text.includes(secret)) problems.push(`a secret shown once by ${origin} appears again in this response`);
  }
  for (const field of SECRET_FIELDS[ex.op.operationId] ?? []) {
    const value = (ex.body as Record<string, unknown> | undefined)?.[field];
    if (typeof value === 'string' && value.length >= 8 && ex.status < 300) shownSecrets.set(value, `${ex.op.operationId} (${field})`);
  }
  return problems;
};

/** prism-response: the Prism proxy (--via-prism) found no response-side Error. */
const prismResponse: Check = (ex) => {
  const raw = ex.headers['sl-violations'];
  if (!raw) return [];
  try {
    const list = JSON.parse(String(raw)) as { location?: string[]; severity?: string; message?: string }[];
    return list.filter((v) => v.location?.[0] === 'response' && v.severity === 'Error').map((v) => `Prism: ${v.message ?? 'response violation'}`);
  } catch {
    return [`Prism: unreadable sl-violations header`];
  }
};

/** Run on every response, in this order; the name is what a failure reports. */
const AUTOMATIC_CHECKS: [string, Check][] = [
  ['status-documented', statusDocumented],
  ['content-type', contentType],
  // The envelope before the schema, so a broken error body is reported by its more specific name.
  ['error-envelope', errorEnvelope],
  ['schema', schema],
  ['documented-headers', documentedHeaders],
  ['timestamps-utc', timestampsUtc],
  ['one-time-secret', oneTimeSecret],
  ['prism-response', prismResponse],
];

export class ContractViolation extends Error {
  constructor(
    readonly check: string,
    ex: Pick<Exchange, 'method' | 'path' | 'status' | 'op'>,
    problems: string[],
  ) {
    super(`[${check}] ${ex.op.operationId} ${ex.method.toUpperCase()} ${ex.path} -> ${ex.status}: ${problems.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

export function runAutomaticChecks(ex: Exchange) {
  for (const [name, check] of AUTOMATIC_CHECKS) {
    const problems = check(ex);
    if (problems.length) throw new ContractViolation(name, ex, problems);
  }
  // The documented view held; what only the full view asks for is a deviation, not this test's failure.
  if (restsOnDocumentedFacts()) recordInferredParts(ex);
}

/** expected-status: the test's own expectation of which documented status the behaviour gives. */
export function expectStatus(ex: Exchange, ...allowed: number[]) {
  if (!allowed.includes(ex.status)) {
    throw new ContractViolation('expected-status', ex, [`expected ${allowed.join(' or ')}; body ${quoteBody(ex.text || ex.body)}`]);
  }
  return ex;
}

/** expected-error: the status and, when given, the documented error code. */
export function expectError(ex: Exchange, status: number, code?: string) {
  expectStatus(ex, status);
  const actual = (ex.body as { error?: { code?: string } } | undefined)?.error?.code;
  if (code && actual !== code && !(status === 401 && (ex.contentType ?? '').startsWith('text/plain'))) {
    throw new ContractViolation('expected-error', ex, [`expected error code ${code}, got ${actual ?? 'none'}`]);
  }
  return ex;
}
