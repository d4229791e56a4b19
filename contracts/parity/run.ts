// The parity run: each scenario once against a fresh in-process fake and once against the target (over HTTP
// through the governor, or read from a recording), with the same inputs; then the two compared.
import { randomBytes } from 'node:crypto';
import type { SpecValidators } from '../../src/spec/validators.ts';
import { compareScenario, type FakeProblem } from './compare.ts';
import { Normaliser } from './normalise.ts';
import type { Scenario } from './scenarios/index.ts';
import { basic, ScenarioAbort, Session } from './session.ts';
import type { SpecPlaces } from './spec-places.ts';
import { fakeTransport, type Transport } from './transport.ts';
import type { ScenarioResult, SideRun } from './types.ts';

export interface RunResult {
  started: string;
  finished: string;
  scenarios: ScenarioResult[];
  fakeProblems: FakeProblem[];
  /** What made the run incomplete (transport failures, budget, scenarios missing from a recording). */
  problems: string[];
  notCleanedUp: string[];
  /** Every secret value the run saw, raw: for the redaction of everything written. Never written itself. */
  secrets: Set<string>;
}

export interface RunOptions {
  scenarios: Scenario[];
  validators: SpecValidators;
  places: SpecPlaces;
  timeoutMs: number;
  concurrency: number;
  /** A live target, or the target's side read from a recording (per scenario name). */
  target: { transport: Transport } | { recorded: Map<string, SideRun> };
}

export async function runParity(o: RunOptions): Promise<RunResult> {
  const result: RunResult = { started: new Date().toISOString(), finished: '', scenarios: [], fakeProblems: [], problems: [], notCleanedUp: [], secrets: new Set() };
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const queue = o.scenarios.map((scenario, index) => ({ scenario, index }));
  const results = new Map<number, ScenarioResult>();
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) results.set(next.index, await runScenario(o, next.scenario, `${runId}-${next.index}`, result));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, queue.length)) }, worker));
  result.scenarios = o.scenarios.map((_, i) => results.get(i)!).filter(Boolean);
  result.finished = new Date().toISOString();
  return result;
}

async function runScenario(o: RunOptions, scenario: Scenario, tag: string, result: RunResult): Promise<ScenarioResult> {
  // The generated inputs are the same on both sides (the same request bodies), labelled alike.
  const inputs = new Map<string, string>();
  const gen = (kind: string, make: (label: string) => string) => (label: string) => {
    const raw = make(label);
    inputs.set(raw, `<${kind}:${label}>`);
    return raw;
  };
  const names = gen('name', (label) => `fxpt-${tag}-${label}`.slice(0, 50));
  const emails = gen('email', (label) => `fxpt-${tag}-${label}@example.com`);

  const fake = await fakeTransport(o.timeoutMs);
  const sides: Promise<SideRun>[] = [runSide(o, scenario, fake, inputs, names, emails, result).finally(() => fake.close())];
  if ('transport' in o.target) sides.push(runSide(o, scenario, o.target.transport, inputs, names, emails, result, true));
  const [fakeRun, liveTarget] = await Promise.all(sides);
  let targetRun = liveTarget;
  if (!targetRun) {
    const recorded = (o.target as { recorded: Map<string, SideRun> }).recorded.get(scenario.name);
    if (!recorded) result.problems.push(`the recording has no scenario "${scenario.name}"`);
    targetRun = recorded ?? { side: 'target', exchanges: [], inputs: [], aborted: { reason: 'not in the recording', transport: true } };
  }
  if (fakeRun.aborted?.transport) result.problems.push(`${scenario.name}: the fake could not be reached: ${fakeRun.aborted.reason}`);
  if (liveTarget?.aborted?.transport) result.problems.push(`${scenario.name}: stopped on the target at "${liveTarget.aborted.step}": ${liveTarget.aborted.reason}`);
  const { differences, fakeProblems } = compareScenario(scenario.name, fakeRun, targetRun, o.validators, o.places);
  result.fakeProblems.push(...fakeProblems);
  return { name: scenario.name, title: scenario.title, fake: fakeRun, target: targetRun, differences };
}

async function runSide(o: RunOptions, scenario: Scenario, transport: Transport, inputs: Map<string, string>, name: (l: string) => string, email: (l: string) => string, result: RunResult, cleanUp = false): Promise<SideRun> {
  const run: SideRun = { side: transport.side, exchanges: [], inputs: [] };
  const normaliser = new Normaliser({ start: Date.now(), tolerance: transport.tolerance, inputs });
  const session = new Session({ transport, normaliser, validators: o.validators, places: o.places, run, name, email });
  try {
    await scenario.run(session);
  } catch (err) {
    if (err instanceof ScenarioAbort) run.aborted = { step: err.step, afterStep: run.exchanges.at(-1)?.step, reason: err.message, transport: err.transport };
    else {
      run.aborted = { afterStep: run.exchanges.at(-1)?.step, reason: `scenario error: ${(err as Error).message}`, transport: true };
      result.problems.push(`${scenario.name} on the ${transport.side}: ${(err as Error).stack ?? String(err)}`);
    }
  } finally {
    for (const s of normaliser.secrets) result.secrets.add(s);
    for (const a of session.agents) result.secrets.add(a.recoveryKey);
  }
  if (cleanUp) result.notCleanedUp.push(...(await cleanUpAgents(transport, session)));
  return run;
}

/** Deletes the agents a scenario registered on the target (their blocks and keys go with them). */
async function cleanUpAgents(transport: Transport, session: Session): Promise<string[]> {
  const left: string[] = [];
  for (const { agentId, recoveryKey } of session.agents) {
    try {
      const res = await transport.send({ operationId: 'deleteAgent', method: 'DELETE', url: `/api/agents/${encodeURIComponent(agentId)}`, headers: { authorization: basic(agentId, recoveryKey) } });
      if (res.status >= 300) left.push(`agent ${agentId} (delete answered ${res.status})`);
    } catch (err) {
      left.push(`agent ${agentId} (${(err as Error).message})`);
    }
  }
  return left;
}
