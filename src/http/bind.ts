// Binds operationIds to handlers. The spec is the map: every operation must have a handler and every
// handler an operation, or the fake refuses to start (a typo would otherwise be a silent 404).
import type { Handler, HandlerMap } from '../handler.ts';
import type { Operation } from '../spec/operations.ts';

export function bindHandlers<Env>(document: string, operations: Operation[], handlers: HandlerMap<Env>, schemes: readonly string[]): Map<string, Handler<Env>> {
  const ids = new Set(operations.map((op) => op.operationId));
  const missing = [...ids].filter((id) => typeof handlers[id] !== 'function');
  const unknown = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length || unknown.length) {
    const parts = [];
    if (missing.length) parts.push(`operations without a handler: ${missing.join(', ')}`);
    if (unknown.length) parts.push(`handlers without an operation in ${document}: ${unknown.join(', ')}`);
    throw new Error(`cannot bind ${document} to handlers: ${parts.join('; ')}`);
  }
  // Likewise every security scheme an operation names needs a verifier, or it would fail per request.
  const unverifiable = operations.flatMap((op) => op.security.flatMap((alt) => alt.schemes.filter((s) => !schemes.includes(s.name)).map((s) => `${op.operationId} (${s.name})`)));
  if (unverifiable.length) throw new Error(`cannot bind ${document}: security schemes without a verifier: ${unverifiable.join(', ')}`);
  return new Map(operations.map((op) => [op.operationId, handlers[op.operationId]]));
}
