// What the fake does ahead of time instead of at every start (src/spec/load.ts, src/spec/validators.ts):
// the JSON twins the build writes must be exactly the YAML documents, a twin must never stand in for a
// text it was not made from, and, since the validators skip the meta-schema check at run time, every
// schema of both documents is checked against the JSON Schema 2020-12 meta-schema here.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSpec, twinPath } from '../src/spec/load.ts';

const DOCUMENTS = ['openapi.yaml', 'src/control/control.openapi.yaml'];

/** Every schema of an OpenAPI document: components.schemas and each `schema` of a parameter, header or media type. */
function schemasOf(doc: unknown): { where: string; schema: object }[] {
  const found: { where: string; schema: object }[] = [];
  const walk = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'schema' && child && typeof child === 'object') found.push({ where: `${where}/${key}`, schema: child });
      else walk(child, `${where}/${key}`);
    }
  };
  walk(doc, '#');
  const components = (doc as { components?: { schemas?: Record<string, object> } }).components?.schemas ?? {};
  for (const [name, schema] of Object.entries(components)) found.push({ where: `#/components/schemas/${name}`, schema });
  return found;
}

describe.each(DOCUMENTS)('%s', (file) => {
  const text = readFileSync(file, 'utf8');

  it('has a JSON twin from the build that is exactly the YAML document, and loadSpec serves it', () => {
    const twin = twinPath(text);
    expect(existsSync(twin), `${twin} is missing: run npm run build`).toBe(true);
    const fromYaml = parse(text);
    expect(JSON.parse(readFileSync(twin, 'utf8'))).toEqual(fromYaml);
    expect(loadSpec(file)).toEqual(fromYaml);
  });

  it('names its twin by its text, so an edited document is never read from an old twin', () => {
    expect(twinPath(`${text}\n# edited\n`)).not.toBe(twinPath(text));
    expect(existsSync(twinPath(`${text}\n# edited\n`))).toBe(false);
  });

  it('has only schemas that are valid JSON Schema 2020-12 (the fake does not check this at run time)', () => {
    const ajv = new Ajv2020({ strict: false });
    const schemas = schemasOf(parse(text));
    expect(schemas.length).toBeGreaterThan(10);
    const invalid = schemas.filter(({ schema }) => !ajv.validateSchema(schema)).map(({ where }) => `${where}: ${ajv.errorsText()}`);
    expect(invalid).toEqual([]);
  });
});
