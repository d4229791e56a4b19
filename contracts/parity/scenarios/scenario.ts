// A parity scenario: a named script of requests run once against a fresh fake and once against the target,
// with the same inputs. It goes on with each side's own answers (ids, secrets) and states its rules on them
// (`Step.claim` and friends) with the tier and the place each is written, so differences can be classified.
import type { Session } from '../session.ts';

export interface Scenario {
  name: string;
  title: string;
  /** What it covers, and what it leaves out on purpose (shown in the reports). */
  covers: string;
  run(s: Session): Promise<void>;
}

export const defineScenario = (scenario: Scenario) => scenario;
