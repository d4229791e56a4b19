// `fluxra-contract parity`: runs the parity scenarios against a fresh in-process fake and a target (or a
// recording of one), reports every difference with its class, and exits 0 when none is unknown, 1 when one
// is (or the run is incomplete, or the fake has a problem of its own), 2 for a usage error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { positiveIntArg, positiveNumberArg } from '../../src/basics/arguments.ts';
import { VERSION } from '../../src/index.ts';
import { validatorsFor } from '../../src/spec/validators.ts';
import { htmlReport } from './html.ts';
import { applyKnown, KnownFileError, loadKnown, writeKnown } from './known.ts';
import { markdownReport } from './markdown.ts';
import { readRecordings, RecordingError, writeRecordings } from './recording.ts';
import { buildReport, consoleReport } from './report.ts';
import { runParity, type RunOptions } from './run.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { SpecPlaces } from './spec-places.ts';
import { checkTarget, displayUrl, preflight, redactor, targetTransport, TransportError, UsageError } from './transport.ts';

interface Options {
  baseUrl?: string;
  allowLive?: boolean;
  budget: number;
  concurrency: number;
  timeout: number;
  scenario?: string[];
  known: string;
  updateKnown?: boolean;
  out: string;
  againstRecording?: string;
  list?: boolean;
}


/** Where the command writes: the process's streams, or a test's collector. */
export interface Io { out(text: string): void; err(text: string): void }
const stdio: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

function program(io: Io) {
  return new Command()
    .name('fluxra-contract parity')
    .description('Runs the same scenarios against a fresh in-process fake and a target, and shows every difference that matters.')
    .addOption(new Option('--base-url <url>', 'the target (staging, production, another fake)').env('FLUXRA_BASE_URL'))
    .option('--allow-live', 'required for any URL that is not loopback')
    .option('--budget <n>', 'most requests sent to the target', positiveIntArg, 1000)
    .option('--concurrency <n>', 'most scenarios (and requests to the target) at once', positiveIntArg, 1)
    .option('--timeout <seconds>', 'longest wait for one answer', positiveNumberArg, 30)
    .option('--scenario <names>', `comma-separated scenarios to run (${SCENARIOS.map((s) => s.name).join(', ')})`, (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)])
    .option('--known <file>', 'the known-differences file', 'parity/known-differences.yaml')
    .option('--update-known', 'rewrite the known-differences file from this run\'s differences (review it before committing)')
    .option('--out <dir>', 'where the reports (parity.md, parity.html, parity.json) and the recording go', 'reports/parity')
    .option('--against-recording <dir>', 'compare the fake against a recording (a previous --out directory) instead of a live target')
    .option('--list', 'list the scenarios and exit')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const cmd = program(io);
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    throw err;
  }
  const o = cmd.opts<Options>();
  const out = (line: string) => io.out(`${line}\n`);
  if (o.list) {
    for (const s of SCENARIOS) out(`${s.name.padEnd(18)} ${s.title}: ${s.covers}`);
    return 0;
  }
  const picked = o.scenario ?? [];
  const unknown = picked.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new UsageError(`unknown scenario(s) ${unknown.join(', ')} (scenarios: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  const scenarios = picked.length ? SCENARIOS.filter((s) => picked.includes(s.name)) : SCENARIOS;
  if (!o.baseUrl && !o.againstRecording) throw new UsageError('give --base-url URL (a live target) or --against-recording DIR');
  if (o.baseUrl && o.againstRecording) throw new UsageError('give either --base-url or --against-recording, not both');
  const knownFile = resolve(o.known);
  const known = loadKnown(knownFile);

  // The same validators the in-process fakes use (compiled once per process).
  const validators = validatorsFor();
  const places = new SpecPlaces(validators.spec);
  const base: Omit<RunOptions, 'target'> = { scenarios, validators, places, timeoutMs: o.timeout * 1000, concurrency: o.concurrency };
  let shown: string;
  let run;
  let requests;
  if (o.againstRecording) {
    const recording = readRecordings(resolve(o.againstRecording));
    shown = recording.target || resolve(o.againstRecording);
    out(`fluxra-contract parity: the fake against a recording of ${shown} (${recording.recordedAt}), ${scenarios.length} scenario(s), offline`);
    run = await runParity({ ...base, target: { recorded: recording.sides } });
  } else {
    const url = checkTarget(o.baseUrl!, Boolean(o.allowLive));
    shown = displayUrl(url);
    out(`fluxra-contract parity: the fake against ${shown}, ${scenarios.length} scenario(s) (budget ${o.budget} requests, concurrency ${o.concurrency}, timeout ${o.timeout} s)`);
    const target = await targetTransport({ url, operations: validators.operations, budget: o.budget, concurrency: o.concurrency, timeoutMs: o.timeout * 1000 });
    try {
      await preflight(target.transport, shown);
      run = await runParity({ ...base, target: { transport: target.transport } });
    } finally {
      await target.transport.close();
    }
    requests = { sent: target.stats.sent, refused: target.stats.refused, retried429: target.stats.retried429 };
  }

  const differences = run.scenarios.flatMap((s) => s.differences);
  const noLongerSeen = applyKnown(known, differences);
  const report = buildReport(run, { version: VERSION, target: shown, mode: o.againstRecording ? 'recording' : 'live', knownFile: o.known, scenarios, noLongerSeen, requests });
  const redact = redactor(() => run.secrets);
  const dir = resolve(o.out);
  mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), redact(text));
    return join(dir, name);
  };
  out(redact(consoleReport(report)));
  const files = [write('parity.json', `${JSON.stringify(report, null, 2)}\n`), write('parity.md', markdownReport(report)), write('parity.html', htmlReport(report))];
  if (!o.againstRecording) files.push(...writeRecordings(join(dir, 'recording'), run, shown, redact));
  out(`reports: ${files.slice(0, 3).join(', ')}${o.againstRecording ? '' : `; recording: ${join(dir, 'recording')}`}`);
  if (o.updateKnown) {
    const { added, kept } = writeKnown(knownFile, known, differences, new Date().toISOString().slice(0, 10), redact);
    out(`known differences: ${knownFile} rewritten (${kept} kept, ${added} added, ${noLongerSeen.length} dropped); review every reason before committing`);
    return run.problems.length || run.fakeProblems.length ? 1 : 0;
  }
  return report.ok ? 0 : 1;
}

/** The entry `fluxra-contract parity ...` dispatches to (contracts/cli.ts): the exit code, never a throw. */
export async function runCli(argv: string[], io: Io = stdio): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    const usage = err instanceof UsageError || err instanceof KnownFileError || err instanceof RecordingError;
    const clean = redactor(() => []);
    io.err(`fluxra-contract parity: ${clean(err instanceof Error ? err.message : String(err))}\n`);
    if (!usage && !(err instanceof TransportError) && err instanceof Error && err.stack) io.err(`${clean(err.stack)}\n`);
    return usage ? 2 : 1;
  }
}
