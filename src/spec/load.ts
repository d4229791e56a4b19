// Loads openapi.yaml once per process and freezes it: the spec is configuration, not state, so one
// shared immutable copy is safe for every app instance and for the contract suite.
// Parsing the YAML took 150-300 ms of every process's first createFake(), so `npm run build` also writes
// each shipped document as JSON (its "twin", JSON.parse takes about 1 ms), named by the SHA-256 of the
// YAML text: a twin is used only for exactly the text it was made from, so an edited openapi.yaml is
// never served from a stale twin (it is parsed as YAML until the next build). The yaml library is loaded
// only when a document has no twin.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Where the build puts the JSON twin of a document whose YAML text is `text` (package.json "files" ships them). */
export const twinPath = (text: string) => assetPath(`dist/spec-json/${sha256(text)}.json`);

const sourceHashes = new WeakMap<Spec, string>();
/** The SHA-256 of the text a loaded document was read from (what its precompiled validators are named by). */
export const sourceHashOf = (spec: Spec) => sourceHashes.get(spec);

const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

/** Writes the JSON twin of the YAML document at `path` (scripts/build.mjs, for each shipped document). */
export function writeTwin(path: string): string {
  const text = readFileSync(path, 'utf8');
  const twin = twinPath(text);
  mkdirSync(dirname(twin), { recursive: true });
  writeFileSync(twin, JSON.stringify(parseYaml(text)));
  return twin;
}

export function loadSpec(path: string = SPEC_PATH): Spec {
  let spec = cache.get(path);
  if (!spec) {
    const text = readFileSync(path, 'utf8');
    const twin = twinPath(text);
    spec = deepFreeze((existsSync(twin) ? JSON.parse(readFileSync(twin, 'utf8')) : parseYaml(text)) as Spec);
    cache.set(path, spec);
    sourceHashes.set(spec, sha256(text));
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
