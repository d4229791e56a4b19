// Tiers. Every contract test is declared through `contract(tier, name, fn)`: the tier goes into the test
// name ("[documented] ...") so reports, JUnit consumers and `--tier` filters all see it.
// - quickstart: the public Quickstart's steps; must pass on any faithful server.
// - documented: behaviour the reference pages state; must pass on any faithful server. Quickstart and
//               documented tests assert documented facts only, and their responses are checked against
//               the documented view of the spec (contracts/lib/views.ts).
// - inferred:   details the docs leave open that openapi.yaml decided; against a live server a failure
//               is reported as "differs from our inference" (a failure only with --strict).
// - fake-only:  needs the fake's control plane (or the in-process fake); skipped elsewhere.
import { it, type TestContext } from 'vitest';
import { inferredFindings } from './checks.ts';
import { runInTest } from './context.ts';
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
      await runInTest({ tier, name: `[${tier}] ${name}`, file: ctx.task.file.filepath }, () => fn(ctx, t));
    },
    timeout,
  );
}

export const INFERRED_PARTS_TEST = 'the answers to the quickstart and documented tests above match the inferred parts of the spec too';

/**
 * Call at the end of a contract file with quickstart or documented tests: one inferred test that lists
 * what those tests' responses missed of the full view (inferred fields, constraints, headers), each with
 * the spec place that made the choice. Without --strict a live server's misses are deviations.
 */
export function inferredPartsOfThisFile() {
  contract('inferred', INFERRED_PARTS_TEST, async (ctx) => {
    const found = inferredFindings(ctx.task.file.filepath);
    if (found.length) {
      const lines = found.map((f) => `${f.exchange} (in "${f.test}"): ${f.issues.join('; ')}`);
      // The first line is what summaries show: it names the first miss and its spec place.
      throw new Error(`${found.length} answer(s) differ from the inferred parts of openapi.yaml; ${lines.join('\n')}`);
    }
  });
}
