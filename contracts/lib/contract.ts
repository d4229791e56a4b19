// Tiers. Every contract test is declared through `contract(tier, name, fn)`: the tier goes into the test
// name ("[documented] ...") so reports, JUnit consumers and `--tier` filters all see it.
// - quickstart: the public Quickstart's steps; must pass on any faithful server.
// - documented: behaviour the reference pages state; must pass on any faithful server.
// - inferred:   details the docs leave open that openapi.yaml decided; against a live server a failure
//               is reported as "differs from our inference" (a failure only with --strict).
// - fake-only:  needs the fake's control plane (or the in-process fake); skipped elsewhere.
import { it, type TestContext } from 'vitest';
import { target, type Target } from './target.ts';

import type { Tier } from './tiers.ts';

export { TIERS, tierOf, type Tier } from './tiers.ts';

export function contract(tier: Tier, name: string, fn: (ctx: TestContext, t: Target) => Promise<void>, timeout?: number) {
  it(
    `[${tier}] ${name}`,
    async (ctx) => {
      const t = target();
      if (tier === 'fake-only' && !(await t.controlPlane())) {
        ctx.skip('fake-only: the target has no /__fake control plane');
        return;
      }
      await fn(ctx, t);
    },
    timeout,
  );
}
