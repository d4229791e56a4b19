// What the fake does ahead of time instead of at every start (src/spec/load.ts, src/spec/precompile.ts):
// the JSON twins the build writes must be exactly the YAML documents, a twin must never stand in for a
// text it was not made from, the precompiled validators must answer exactly as validators compiled at
// run time do, and, since the validators skip the meta-schema check at run time, every schema of both
// documents is checked against the JSON Schema 2020-12 meta-schema here.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deref, loadSpec, sourceHashOf, twinPath, type Spec } from '../src/spec/load.ts';
import { createValidators, precompiledPath, ROLES } from '../src/spec/validators.ts';

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

  it('has precompiled validators from the build that answer exactly as ones compiled at run time', () => {
    const spec = loadSpec(file);
    for (const role of ROLES) expect(existsSync(precompiledPath(sourceHashOf(spec)!, role)), `${role}: run npm run build`).toBe(true);
    const ahead = createValidators(spec);
    // A document parsed here has no source hash, so its validators are compiled by Ajv as they are used.
    const fresh = parse(text) as Spec;
    expect(sourceHashOf(fresh)).toBeUndefined();
    const compiled = createValidators(fresh);
    const garbage: unknown[] = [{}, null, 'x', 42, [], { unexpected: true }, { content: '', type: 'nope', name: 12, agent_id: 'bad' }];
    let compared = 0;
    for (const op of ahead.operations) {
      const raw = op.raw as Record<string, any>;
      const examples = (content: Record<string, any> | undefined) =>
        Object.values(content ?? {}).flatMap((media: any) => Object.values(media?.examples ?? {}).map((e) => deref<{ value: unknown }>(spec, e).value));
      const bodies = [...garbage, ...examples(raw.requestBody && deref<any>(spec, raw.requestBody).content)];
      for (const body of bodies) {
        expect(ahead.body(op, structuredClone(body)), `${op.operationId} body ${JSON.stringify(body)}`).toEqual(compiled.body(compiled.byId.get(op.operationId)!, structuredClone(body)));
        compared++;
      }
      const query = Object.fromEntries(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, 'not-a-valid-value-0']));
      const path = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'bad id']));
      for (const [location, values] of [['query', query], ['query', {}], ['path', path]] as const) {
        const a = { ...values };
        const b = { ...values };
        expect(ahead.params(op, location, a), `${op.operationId} ${location}`).toEqual(compiled.params(compiled.byId.get(op.operationId)!, location, b));
        expect(a).toEqual(b); // the same coercions and defaults
        compared++;
      }
      for (const [status, info] of Object.entries(op.responses)) {
        // x-fluxra-also-responses / x-fluxra-also-content (openapi.yaml) count as documented too.
        const response = deref<any>(spec, raw.responses[status] ?? raw['x-fluxra-also-responses'][status]);
        for (const mediaType of Object.keys(info.content)) {
          for (const body of [...garbage, ...examples({ [mediaType]: response.content?.[mediaType] })]) {
            const code = Number(status) || 500;
            expect(ahead.response(op, code, mediaType, body), `${op.operationId} ${status}`).toEqual(compiled.response(compiled.byId.get(op.operationId)!, code, mediaType, body));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
