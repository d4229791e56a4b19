// Recordings: the target's side of each scenario (normalised and redacted, with the spec problems and the
// scenario's rules as they were checked on the raw answers), one JSON file per scenario, so a later run can
// compare the fake against it offline (`--against-recording DIR`) without touching the deployment.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './run.ts';
import type { SideRun } from './types.ts';

export const RECORDING_FORMAT = 'fluxra-parity-recording/1';

interface RecordingFile { format: string; scenario: string; title: string; target: string; recordedAt: string; side: SideRun }

export function writeRecordings(dir: string, run: RunResult, target: string, redact: (text: string) => string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const s of run.scenarios) {
    const file = join(dir, `${s.name}.json`);
    const content: RecordingFile = { format: RECORDING_FORMAT, scenario: s.name, title: s.title, target, recordedAt: run.started, side: s.target };
    writeFileSync(file, redact(`${JSON.stringify(content, null, 2)}\n`));
    files.push(file);
  }
  return files;
}

export class RecordingError extends Error {}

/** Reads DIR/recording/*.json, or DIR/*.json when DIR is the recording folder itself. */
export function readRecordings(dir: string): { target: string; recordedAt: string; sides: Map<string, SideRun> } {
  const folder = existsSync(join(dir, 'recording')) ? join(dir, 'recording') : dir;
  if (!existsSync(folder)) throw new RecordingError(`--against-recording: ${dir} does not exist`);
  const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  if (!files.length) throw new RecordingError(`--against-recording: no recording (*.json) in ${folder}`);
  const sides = new Map<string, SideRun>();
  let target = '';
  let recordedAt = '';
  for (const f of files) {
    let data: RecordingFile;
    try {
      data = JSON.parse(readFileSync(join(folder, f), 'utf8')) as RecordingFile;
    } catch (err) {
      throw new RecordingError(`--against-recording: ${f} is not JSON (${(err as Error).message})`);
    }
    if (data?.format !== RECORDING_FORMAT || !data.side || !Array.isArray(data.side.exchanges)) throw new RecordingError(`--against-recording: ${f} is not a ${RECORDING_FORMAT} file`);
    sides.set(data.scenario, data.side);
    target ||= data.target;
    recordedAt ||= data.recordedAt;
  }
  return { target, recordedAt, sides };
}
