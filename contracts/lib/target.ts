// The target of a contract run: the in-process fake (default) or any base URL (FLUXRA_BASE_URL, set by
// `fluxra-contract --base-url`). Test bodies only see `req`, so they run unchanged against both.
import request, { type Test } from 'supertest';
import { createFake, type Fake } from '../../src/index.ts';

/** Starts a request against the target (in-process app or base URL): method and path only. */
export type RequestFn = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) => Test;

export interface Target {
  kind: 'in-process' | 'url';
  /** The base URL (url targets only). */
  url?: string;
  /** The in-process fake (in-process targets only): fake-only tests may reach inside it. */
  fake?: Fake;
  /** True when `fluxra-contract` runs the suite through its governor (budget, concurrency, 429s, coverage). */
  governed: boolean;
  req: RequestFn;
  /** Whether the fake-only tier can run: in process, or a URL whose GET /__fake/openapi.yaml is 200. */
  controlPlane(): Promise<boolean>;
}

let current: Target | undefined;

export function target(): Target {
  if (current) return current;
  const url = process.env.FLUXRA_BASE_URL?.replace(/\/+$/, '');
  if (url) {
    let probe: Promise<boolean> | undefined;
    current = {
      kind: 'url',
      url,
      governed: process.env.FLUXRA_CONTRACT_GOVERNED === '1',
      req: (method, path) => request(url)[method](path),
      controlPlane: () => {
        const known = process.env.FLUXRA_CONTRACT_CONTROL_PLANE;
        if (known === '1' || known === '0') return Promise.resolve(known === '1');
        probe ??= fetch(`${url}/__fake/openapi.yaml`).then((r) => r.status === 200, () => false);
        return probe;
      },
    };
  } else {
    const fake = createFake();
    current = {
      kind: 'in-process',
      fake,
      governed: false,
      req: (method, path) => request(fake.app)[method](path),
      controlPlane: () => Promise.resolve(true),
    };
  }
  return current;
}
