// Build step (scripts/build.mjs): every validator a document needs, compiled ahead of time into Ajv's
// standalone code, one CommonJS module per role beside the document's JSON twin (dist/spec-json/). The
// same Ajv options, the same keys and the same parameter schemas as the lazy path of validators.ts, so a
// precompiled validator and one compiled at run time are the same function of the same schema; the
// module's exports are the validators' keys. Run only by the build: it loads Ajv's standalone generator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { loadSpec, sourceHashOf } from './load.ts';
import { indexOperations } from './operations.ts';
import { newAjv, paramsSchema, precompiledPath, ROLES, SPEC_ID, validatorKey, type Role } from './validators.ts';

const require = createRequire(import.meta.url);

/** Writes the precompiled validators of the document at `path`; returns the files written. */
export function writePrecompiledValidators(path: string): string[] {
  const standaloneCode = require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js').default;
  const spec = loadSpec(path);
  const hash = sourceHashOf(spec)!;
  const operations = indexOperations(spec);
  const written: string[] = [];
  for (const role of ROLES) {
    const ajv = newAjv(spec, role, { source: true });
    const exports: Record<string, string> = {};
    const add = (key: string, id: string) => {
      if (!ajv.getSchema(id)) throw new Error(`${path}: no schema ${id}`);
      exports[key] = id;
    };
    for (const op of operations) {
      if (role === 'body' && op.requestBody) add(validatorKey.body(op.requestBody.schemaPointer), `${SPEC_ID}${op.requestBody.schemaPointer}`);
      if (role === 'response') {
        for (const info of Object.values(op.responses)) {
          for (const pointer of Object.values(info.content)) if (pointer) add(validatorKey.response(pointer), `${SPEC_ID}${pointer}`);
        }
      }
      if (role === 'params') {
        for (const location of ['path', 'query'] as const) {
          // An id beside spec.json (no scheme, no directory), so the schema's "spec.json#/..." refs
          // resolve as they do for the anonymous schema validators.ts compiles.
          const id = `params-${op.operationId}-${location}.json`;
          ajv.addSchema(paramsSchema(op, location), id);
          add(validatorKey.params(op, location), id);
        }
      }
    }
    const file = precompiledPath(hash, role as Role);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, standaloneCode(ajv, exports));
    written.push(file);
  }
  return written;
}
