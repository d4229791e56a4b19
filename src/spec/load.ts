// Loads openapi.yaml once per process and freezes it: the spec is configuration, not state, so one
// shared immutable copy is safe for every app instance and for the contract suite.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { OpenAPIV3_1 } from 'openapi-types';
import { assetPath } from './assets.ts';

export type Spec = OpenAPIV3_1.Document;

export const SPEC_PATH = assetPath('openapi.yaml');

const cache = new Map<string, Spec>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

export function loadSpec(path: string = SPEC_PATH): Spec {
  let spec = cache.get(path);
  if (!spec) {
    spec = deepFreeze(parse(readFileSync(path, 'utf8')) as Spec);
    cache.set(path, spec);
  }
  return spec;
}

/** Follows a local `$ref` ('#/components/...') inside the spec; returns the value unchanged otherwise. */
export function deref<T = unknown>(spec: Spec, value: unknown): T {
  let current = value as { $ref?: string } | undefined;
  for (let hops = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${current.$ref}`);
    current = pointer(spec, current.$ref) as { $ref?: string };
  }
  return current as T;
}

export function pointer(spec: Spec, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

/** JSON-pointer escaping of one path segment (RFC 6901). */
export const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
