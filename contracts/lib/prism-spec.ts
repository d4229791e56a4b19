// The document Prism validates against under --via-prism. openapi.yaml keeps two answers out of the places
// generators read (a response's `x-fluxra-also-content`, an operation's `x-fluxra-also-responses`: see the
// comments there), and the fake and the suite's own checks count them as documented (src/spec/operations.ts).
// Prism reads only `content` and `responses`, so it is handed a copy with them put back: it must accept
// exactly what the suite accepts, no less.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec } from '../../src/spec/load.ts';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of the document with every `x-fluxra-also-*` answer merged into `content` / `responses`. */
export function specForPrism(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(specForPrism);
  if (!isNode(spec)) return spec;
  const copy: Node = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, specForPrism(v)]));
  const alsoContent = copy['x-fluxra-also-content'];
  if (isNode(alsoContent)) copy.content = { ...alsoContent, ...(isNode(copy.content) ? copy.content : {}) };
  const alsoResponses = copy['x-fluxra-also-responses'];
  if (isNode(alsoResponses) && isNode(copy.responses)) copy.responses = { ...alsoResponses, ...copy.responses };
  return copy;
}

/** Writes the Prism copy of the document at `specPath` to a temporary file and returns its path. */
export function writeSpecForPrism(specPath: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fluxra-prism-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(specForPrism(loadSpec(specPath))));
  return file;
}
