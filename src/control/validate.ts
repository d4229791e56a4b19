// In-process input of the control plane checked as its HTTP input is: the same nesting limit as the
// control plane's bodies (src/http/body.ts) and the same request-body schema of control.openapi.yaml,
// with the same messages. A seed from `--seed-file` or `control.seed()` is refused with a 400 that names
// the problem, never accepted half-checked (which used to start a fake that then answered 500).
import { valueTooDeep } from '../basics/json-depth.ts';
import { ApiError, invalidRequest, isErrorCode } from '../errors.ts';
import { controlValidators } from './spec.ts';

export type ControlInputCheck = <T>(operationId: string, input: T, options?: { clone?: boolean }) => T;

export function createInputCheck(maxDepth: number): ControlInputCheck {
  return <T>(operationId: string, input: T, options: { clone?: boolean } = {}): T => {
    const validators = controlValidators();
    const op = validators.byId.get(operationId);
    if (!op) throw new Error(`no control operation ${operationId}`);
    if (valueTooDeep(input, maxDepth)) throw invalidRequest(`JSON body nests deeper than ${maxDepth} levels`);
    // The validators apply the schema's defaults in place: the caller's object stays as it was (a
    // snapshot, whose schema has no defaults and which can be large, is checked where it is).
    const copy = options.clone === false ? input : structuredClone(input);
    const issues = validators.body(op, copy);
    if (issues.length) {
      const code = issues.find((i) => i.errorCode && isErrorCode(i.errorCode))?.errorCode ?? 'INVALID_REQUEST';
      throw new ApiError(code as ApiError['code'], issues.map((i) => i.message).join('; '));
    }
    return copy;
  };
}
