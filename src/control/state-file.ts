// `--state-file`: every tenant's snapshot (snapshot.ts) in one file, so the fake's state survives a
// restart. The file is a header line and a body: the header names the format and version and carries
// the body's length and SHA-256, so a truncated, corrupt or foreign file is recognised and refused at
// start (and left as it is) instead of starting a fake with half a state. Writes are atomic: the new
// state goes to a temporary file beside the old one, is flushed to disk, then renamed over it (rename(2)
// replaces a file atomically), so a crash or SIGKILL at any moment leaves the last complete save. Saves
// run one after another, each with the state as it was when it was asked for. The file holds the signing
// keys (a snapshot is a credential, control.openapi.yaml: Snapshot), so it is created readable by its
// owner only.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Snapshot } from './snapshot.ts';

export const STATE_FILE_FORMAT = 'fluxra-fake-state';
export const STATE_FILE_VERSION = 1;

export interface StateFileContent {
  saved_at: string;
  tenants: Snapshot[];
}

export interface SaveResult {
  path: string;
  saved_at: string;
  tenants: number;
  bytes: number;
}

const sha256 = (buf: Uint8Array) => createHash('sha256').update(buf).digest('hex');

/** The file's content, or undefined when there is no file yet; throws a clear Error for anything else. */
export function readStateFile(path: string): StateFileContent | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read --state-file ${path}: ${(err as Error).message}`);
  }
  const refuse = (why: string) => new Error(`--state-file ${path} ${why}; refusing to start (the file is left as it is: move it away to start afresh)`);
  const newline = buf.indexOf(0x0a);
  let header: { format?: unknown; version?: unknown; bytes?: unknown; sha256?: unknown } | undefined;
  try {
    header = newline > 0 ? JSON.parse(buf.subarray(0, newline).toString('utf8')) : undefined;
  } catch {
    header = undefined;
  }
  if (!header || typeof header !== 'object') throw refuse(buf.length === 0 ? 'is empty' : 'is not a fluxra-fake state file (no state header on its first line)');
  if (header.format !== STATE_FILE_FORMAT) throw refuse(`is not a fluxra-fake state file (format ${JSON.stringify(header.format)})`);
  if (header.version !== STATE_FILE_VERSION) throw refuse(`has version ${JSON.stringify(header.version)}; this fake reads version ${STATE_FILE_VERSION}`);
  const body = buf.subarray(newline + 1);
  if (body.length !== header.bytes) throw refuse(`is truncated or padded: its body has ${body.length} bytes, its header says ${String(header.bytes)}`);
  if (sha256(body) !== header.sha256) throw refuse('is corrupt: its body does not match the checksum in its header');
  let content: StateFileContent;
  try {
    content = JSON.parse(body.toString('utf8'));
  } catch {
    throw refuse('is corrupt: its body is not JSON');
  }
  if (!content || !Array.isArray(content.tenants)) throw refuse('holds no tenants list');
  return content;
}

/** Writes state files to one path, one save after another, each atomically. */
export function createStateFileWriter(path: string) {
  let queue: Promise<unknown> = Promise.resolve();
  let counter = 0;

  async function write(body: Buffer, savedAt: string, tenants: number): Promise<SaveResult> {
    const header = JSON.stringify({ format: STATE_FILE_FORMAT, version: STATE_FILE_VERSION, saved_at: savedAt, tenants, bytes: body.length, sha256: sha256(body) });
    const temp = `${path}.tmp-${process.pid}-${++counter}`;
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(`${header}\n`);
      await file.write(body);
      await file.sync();
    } catch (err) {
      await file.close();
      await unlink(temp).catch(() => {});
      throw err;
    }
    await file.close();
    await rename(temp, path);
    // The rename itself is durable once the directory is flushed.
    const dir = await open(dirname(path), 'r').catch(() => undefined);
    await dir?.sync().catch(() => {});
    await dir?.close();
    return { path, saved_at: savedAt, tenants, bytes: body.length + header.length + 1 };
  }

  return {
    path,
    /** Saves `content` as it is now (serialised before this returns), after any save still running. */
    save(content: StateFileContent): Promise<SaveResult> {
      const body = Buffer.from(JSON.stringify(content));
      const done = queue.then(() => write(body, content.saved_at, content.tenants.length));
      queue = done.catch(() => {});
      return done;
    },
  };
}

export type StateFileWriter = ReturnType<typeof createStateFileWriter>;
