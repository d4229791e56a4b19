// contracts/lib/prism-spec.ts: Prism (--via-prism) is given openapi.yaml with the x-fluxra-also-* answers
// put back where Prism reads them, so it accepts what the suite's own checks accept.
import { describe, expect, it } from 'vitest';
import { specForPrism } from '../contracts/lib/prism-spec.ts';
import { loadSpec } from '../src/spec/load.ts';

const prismSpec = specForPrism(loadSpec()) as any;

describe('the document handed to Prism', () => {
  it('lists the plain-text 401 under content, beside the JSON envelope', () => {
    const unauthorized = prismSpec.components.responses.Unauthorized;
    expect(Object.keys(unauthorized.content).sort()).toEqual(['application/json', 'text/plain']);
  });

  it("lists deleteBlock's 200 under responses, beside its 204", () => {
    const op = Object.values(prismSpec.paths).flatMap((item: any) => Object.values(item)).find((o: any) => o?.operationId === 'deleteBlock') as any;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '204']));
    expect(op.responses['204']).toEqual((loadSpec() as any).paths['/api/blocks/{block_id}'].delete.responses['204']);
  });

  it('leaves openapi.yaml itself as it is (generators still see one answer)', () => {
    expect(Object.keys((loadSpec() as any).components.responses.Unauthorized.content)).toEqual(['application/json']);
  });
});
