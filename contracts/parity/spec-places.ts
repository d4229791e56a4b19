// Where openapi.yaml decides a part of an answer, and whether that part is documented or one of our
// inferred choices. Every operation has `x-fluxra-provenance`; documented operations carry their inferred
// details as free-text `x-fluxra-inferred` notes on the operation, its schemas or their properties, so a
// note "covers" an aspect when it names it (a field, "status", "error", a status code), or speaks of the
// whole ("All of it", "the response shape"), and not only after "but", "except", "other than" or "beyond".
import type { OpenAPIV3_1 } from 'openapi-types';
import { deref, type Spec } from '../../src/spec/load.ts';
import type { Operation } from '../../src/spec/operations.ts';
import type { Tier } from './types.ts';

export interface Place { tier: Tier; place: string; text?: string }

type Schema = Record<string, unknown>;
interface Node { place: string; schema: Schema }

const BLANKET = /\b(all of it|everything|the response shape)\b/i;
const EXCLUSION = /\b(?:but|except|other than|beyond)\s+([^.;(,]*)/gi;

/** Whether a note covers any of `words` (field names, "status", codes ...). */
export function covers(note: string, words: string[]): boolean {
  const excluded = [...note.matchAll(EXCLUSION)].map((m) => m[1]);
  const named = (text: string, w: string) => new RegExp(`(^|[^A-Za-z0-9_])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`, 'i').test(text);
  const outside = note.replace(EXCLUSION, ' ');
  if (words.some((w) => named(outside, w))) return true;
  if (words.some((w) => excluded.some((span) => named(span, w)))) return false;
  return BLANKET.test(outside);
}

const opPlace = (op: Operation) => `paths.${op.path}.${op.method}`;
const noteOf = (node: unknown) => (node && typeof node === 'object' ? (node as Record<string, unknown>)['x-fluxra-inferred'] : undefined);

export class SpecPlaces {
  constructor(private readonly spec: Spec) {}

  /** The operation's own note (or, for an operation we designed, its description: the whole is the choice). */
  private opNotes(op: Operation): { place: string; text: string }[] {
    const note = noteOf(op.raw);
    const notes = typeof note === 'string' ? [{ place: `${opPlace(op)}.x-fluxra-inferred`, text: note }] : [];
    return notes;
  }

  private designed(op: Operation): Place | undefined {
    if (op.provenance !== 'inferred') return undefined;
    const note = noteOf(op.raw);
    return { tier: 'inferred', place: typeof note === 'string' ? `${opPlace(op)}.x-fluxra-inferred` : `${opPlace(op)}.description`, text: typeof note === 'string' ? note : op.raw.description };
  }

  /** Who decides the status (and, for errors, the code) of an operation's answers. */
  status(op: Operation, words: string[]): Place {
    const designed = this.designed(op);
    if (designed) return designed;
    for (const n of this.opNotes(op)) if (covers(n.text, words)) return { tier: 'inferred', ...n };
    return { tier: 'documented', place: `${opPlace(op)}.responses` };
  }

  /** The response object of a status (its description and headers), with the place it is written. */
  response(op: Operation, status: number): { place: string; response?: OpenAPIV3_1.ResponseObject } {
    const raw = (op.raw.responses as Record<string, unknown> | undefined)?.[String(status)];
    if (!raw) return { place: `${opPlace(op)}.responses` };
    const ref = (raw as { $ref?: string }).$ref;
    return { place: ref ? ref.replace(/^#\//, '').replace(/\//g, '.') : `${opPlace(op)}.responses.${status}`, response: deref<OpenAPIV3_1.ResponseObject>(this.spec, raw) };
  }

  /**
   * A documented header of a response: inferred when the response object says so. Not the operation's
   * provenance: the shared responses (Unauthorized's WWW-Authenticate, RFC 9110 11.6.1) hold for every route.
   */
  header(op: Operation, status: number, name: string): Place {
    const { place, response } = this.response(op, status);
    const headerPlace = `${place}.headers.${name}`;
    const text = `${response?.description ?? ''} ${noteOf(response) ?? ''}`;
    if (/\(inferred\)/i.test(text) || typeof noteOf(response) === 'string') return { tier: 'inferred', place: headerPlace, text: response?.description };
    return { tier: 'documented', place: headerPlace };
  }

  /** The schema nodes from the response's root to a body path: every node visited, and the leaf nodes. */
  chain(op: Operation, status: number, contentType: string | undefined, segments: (string | number)[]): { visited: Node[]; leaves: Node[] } {
    const { place, response } = this.response(op, status);
    const media = response?.content?.[(contentType ?? 'application/json').split(';')[0].trim()] ?? response?.content?.['application/json'];
    if (!media?.schema) return { visited: [], leaves: [] };
    const visited: Node[] = [];
    let current: Node[] = this.expand(media.schema, `${place}.content.schema`, visited);
    for (const seg of segments) {
      const next: Node[] = [];
      for (const node of current) {
        const target = typeof seg === 'number' ? node.schema.items : (node.schema.properties as Record<string, unknown> | undefined)?.[seg];
        if (target) next.push(...this.expand(target, typeof seg === 'number' ? `${node.place}.items` : `${node.place}.properties.${seg}`, visited));
      }
      if (!next.length) return { visited, leaves: [] };
      current = next;
    }
    return { visited, leaves: current };
  }

  /** Follows $ref, allOf, oneOf and anyOf to the schemas that can hold properties; records each visited. */
  private expand(raw: unknown, place: string, seen: Node[], depth = 0): Node[] {
    if (!raw || typeof raw !== 'object' || depth > 8) return [];
    let schema = raw as Schema;
    let at = place;
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      seen.push({ place: at, schema });
      at = ref.replace(/^#\//, '').replace(/\//g, '.');
      schema = deref<Schema>(this.spec, schema);
    }
    seen.push({ place: at, schema });
    const out: Node[] = [{ place: at, schema }];
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((s, i) => out.push(...this.expand(s, `${at}.${key}[${i}]`, seen, depth + 1)));
    }
    return out;
  }

  /** Whether the schema at a body path declares enum, const or examples: its strings are then compared by value. */
  closedVocabulary(op: Operation, status: number, contentType: string | undefined, segments: (string | number)[]): boolean {
    return this.chain(op, status, contentType, segments).leaves.some((n) => 'enum' in n.schema || 'const' in n.schema || Array.isArray(n.schema.examples));
  }

  /** Who decides a body field: the most specific note that covers it, else the operation, else documented. */
  field(op: Operation, status: number, contentType: string | undefined, segments: (string | number)[], words: string[]): Place {
    if (status >= 400) return { tier: 'documented', place: 'components.schemas.Error' };
    const designed = this.designed(op);
    if (designed) return designed;
    const nodes = this.chain(op, status, contentType, segments).visited.reverse();
    for (const node of nodes) {
      const note = noteOf(node.schema);
      if (typeof note === 'string' && covers(note, words)) return { tier: 'inferred', place: `${node.place}.x-fluxra-inferred`, text: note };
    }
    for (const n of this.opNotes(op)) if (covers(n.text, words)) return { tier: 'inferred', ...n };
    return { tier: 'documented', place: nodes[0]?.place ?? `${opPlace(op)}.responses.${status}` };
  }

  /** A topic of `x-fluxra-inferred-defaults` (success-status, ids, pagination ...), when it exists. */
  defaults(topic: string): Place | undefined {
    const text = ((this.spec as Record<string, unknown>)['x-fluxra-inferred-defaults'] as Record<string, string> | undefined)?.[topic];
    return text ? { tier: 'inferred', place: `x-fluxra-inferred-defaults.${topic}`, text } : undefined;
  }

  operationPlace(op: Operation): string {
    return opPlace(op);
  }
}
