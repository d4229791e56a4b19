// Where one side's raw answer breaks openapi.yaml: an undocumented status or media type, a body that does
// not match its schema (the fake's own Ajv validators), a documented header that is missing. Each problem
// names the openapi.yaml place that decides it and whether that place is documented or inferred, so a
// difference can be classified against the spec. Runs on the raw answer, before normalisation.
import type { SpecValidators } from '../../src/spec/validators.ts';
import type { Operation } from '../../src/spec/operations.ts';
import { child, formatPath, lastField, parsePath, type Segment } from './json-path.ts';
import type { SpecPlaces } from './spec-places.ts';
import type { RawResponse, SpecProblem } from './types.ts';

/** `response/body/messages/0/content` plus an Ajv message -> `$.messages[0].content`. */
function bodyPath(where: string, message: string): string {
  const rest = where.replace(/^response\/body\/?/, '');
  const segments: Segment[] = rest ? rest.split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~'))) : [];
  const missing = /must have property "([^"]+)"/.exec(message)?.[1];
  const path = formatPath(segments);
  return missing ? child(path, missing) : path;
}

export function specProblems(validators: SpecValidators, places: SpecPlaces, op: Operation, res: RawResponse): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const contentType = res.headers['content-type'];
  const body = res.status === 204 || res.text === '' ? undefined : res.body;
  for (const issue of validators.response(op, res.status, contentType, body)) {
    if (issue.where === 'response/status') {
      problems.push({ aspect: 'status', path: 'status', message: issue.message, ...pick(places.status(op, statusWords(op, res.status))) });
    } else if (issue.where === 'response/content-type') {
      problems.push({ aspect: 'content-type', path: 'content-type', message: issue.message, tier: 'documented', place: places.response(op, res.status).place });
    } else {
      const path = bodyPath(issue.where, issue.message);
      const segments = parsePath(path);
      const field = lastField(path);
      // A missing field is decided by its parent's `required`; anything else by the field's own schema.
      const missing = /must have property/.test(issue.message);
      const place = places.field(op, res.status, contentType, missing ? segments.slice(0, -1) : segments, field ? [field] : []);
      problems.push({ aspect: 'body', path, message: issue.message.replace(/^response\/body/, '$'), tier: place.tier, place: missing && place.tier === 'documented' ? `${place.place}.required` : place.place });
    }
  }
  // Headers the spec lists for this status (WWW-Authenticate on 401, Retry-After on 429).
  const documented = op.responses[String(res.status)]?.headers ?? [];
  for (const name of documented) {
    const value = res.headers[name.toLowerCase()];
    if (value === undefined || value.trim() === '') {
      problems.push({ aspect: 'header', path: `header.${name.toLowerCase()}`, message: `${res.status} without the ${name} header the spec documents`, ...pick(places.header(op, res.status, name)) });
    }
  }
  return problems;
}

/** The words by which a note speaks of a status: success statuses, or the errors. */
export function statusWords(op: Operation, ...statuses: number[]): string[] {
  const words = statuses.map(String);
  if (statuses.some((s) => s >= 400)) words.push('error', 'errors', 'error list');
  if (statuses.some((s) => s < 400)) words.push('status', 'success status', ...Object.keys(op.responses).filter((s) => s.startsWith('2')));
  return words;
}
const pick = (p: { tier: SpecProblem['tier']; place: string }) => ({ tier: p.tier, place: p.place });
