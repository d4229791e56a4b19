// `call(operationId, args)`: builds the request from the spec (method, path template, JSON body), sends
// it to the target, runs every automatic check on the response and returns the exchange. Tests then
// assert the behaviour. Tracks what the run creates so it can be cleaned up on a live target.
import { afterAll } from 'vitest';
import { ContractViolation, runAutomaticChecks, spec, type Exchange } from './checks.ts';
import { runInTest } from './context.ts';
import { basic } from './credentials.ts';
import { markHard, markNotRun, NotRun, TransportFailure } from './marks.ts';
import { target } from './target.ts';

export interface CallArgs {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Sends this string as the raw body (negative tests: malformed JSON). */
  rawBody?: string;
  /** The whole Authorization header value (see `bearer()` / `basic()`), or none. */
  auth?: string;
  headers?: Record<string, string>;
}

const BUDGET_EXHAUSTED = 'request budget exhausted: fluxra-contract stopped issuing requests (raise --budget to run more)';

/** Longest wait for one answer when no governor enforces it (vitest run directly against a URL). */
const UNGOVERNED_TIMEOUT_MS = Number(process.env.FLUXRA_CONTRACT_TIMEOUT_MS) || 30_000;

/** The governor's own answers (contracts/lib/governor.ts) become "not run" or a transport failure. */
function governorVerdict(res: { status: number; headers: Record<string, string>; text?: string }, what: string) {
  if (res.headers['x-fluxra-contract-budget'] === 'exhausted') {
    markNotRun(BUDGET_EXHAUSTED);
    throw new NotRun(BUDGET_EXHAUSTED);
  }
  const stopped = res.headers['x-fluxra-contract-stopped'];
  if (stopped) {
    const reason = `the run was stopped: ${decodeURIComponent(stopped)}`;
    markNotRun(reason);
    throw new NotRun(reason);
  }
  const governor = res.headers['x-fluxra-contract-governor'];
  if (governor === 'timeout' || governor === 'upstream-error') {
    const cause = governor === 'timeout' ? 'timeout' : 'unreachable';
    const detail = `${what}: ${(res.text ?? '').replace(/^fluxra-contract: /, '')}`;
    markHard(cause, detail);
    throw new TransportFailure(cause, detail);
  }
}

const RETRY_LIMIT = 2;
const RETRY_MAX_WAIT_S = 10;

export async function call(operationId: string, args: CallArgs = {}): Promise<Exchange> {
  const op = spec().byId.get(operationId);
  if (!op) throw new Error(`operation ${operationId} is not in openapi.yaml`);
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = args.path?.[name];
    if (value === undefined) throw new Error(`${operationId}: path parameter ${name} missing`);
    return encodeURIComponent(value);
  });
  const t = target();
  for (let attempt = 0; ; attempt++) {
    let test = t.req(op.method, path);
    if (args.query) test = test.query(args.query);
    if (args.auth) test = test.set('Authorization', args.auth);
    for (const [k, v] of Object.entries(args.headers ?? {})) test = test.set(k, v);
    // Lets the governor attribute the exchange to its operation; it strips the header before forwarding.
    if (t.governed) test = test.set('X-Fluxra-Contract-Op', operationId);
    if (args.rawBody !== undefined) test = test.set('Content-Type', 'application/json').send(args.rawBody);
    else if (args.body !== undefined) test = test.send(args.body as object);
    const what = `${operationId} ${op.method.toUpperCase()} ${path}`;
    if (!t.governed && t.kind === 'url') test = test.timeout(UNGOVERNED_TIMEOUT_MS);
    const res = await test.ok(() => true).catch((err: Error & { code?: string; timeout?: number }) => {
      const cause = err.timeout || err.code === 'ECONNABORTED' ? 'timeout' : 'unreachable';
      const detail = `${what}: ${cause === 'timeout' ? `no answer within ${UNGOVERNED_TIMEOUT_MS / 1000} s` : err.code ?? err.message}`;
      markHard(cause, detail);
      throw new TransportFailure(cause, detail);
    });
    governorVerdict(res, what);
    // A 5xx is the server's failure in every tier, never a difference from our inference.
    if (res.status >= 500) markHard('server-error', `${what} -> ${res.status}`);
    // Ungoverned runs against a URL honour Retry-After here (the governor does it for CLI runs).
    if (res.status === 429 && !t.governed && t.kind === 'url' && attempt < RETRY_LIMIT) {
      const wait = Number(res.headers['retry-after']);
      if (Number.isFinite(wait) && wait >= 0 && wait <= RETRY_MAX_WAIT_S) {
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
    }
    const ex: Exchange = {
      op,
      method: op.method,
      path,
      status: res.status,
      contentType: res.headers['content-type'],
      headers: res.headers,
      body: res.body && typeof res.body === 'object' && Object.keys(res.body).length === 0 && !res.text ? undefined : res.body,
      text: res.text ?? '',
    };
    if (ex.body === undefined && ex.text && (ex.contentType ?? '').includes('json')) {
      try {
        ex.body = JSON.parse(ex.text);
      } catch {
        throw new ContractViolation('content-type', ex, ['body is not valid JSON although the content type says so']);
      }
    }
    if (typeof ex.body === 'object' && ex.body && Object.keys(ex.body).length === 0 && (ex.contentType ?? '').startsWith('text/')) ex.body = ex.text;
    track(ex, args);
    runAutomaticChecks(ex);
    return ex;
  }
}

// --- cleanup of what a run creates (live targets only; an in-process fake is thrown away) ---

interface Created {
  agents: Map<string, string>; // agent_id -> recovery key
  blocks: Map<string, string>; // block_id -> owner's Authorization value
}
const created: Created = { agents: new Map(), blocks: new Map() };

function track(ex: Exchange, args: CallArgs) {
  if (ex.status >= 300) return;
  // A fake's private tenant (fake-only tests) is dropped with everything in it; nothing to clean up.
  if (Object.keys(args.headers ?? {}).some((h) => h.toLowerCase() === 'x-fluxra-tenant')) return;
  const body = ex.body as Record<string, string> | undefined;
  if (ex.op.operationId === 'registerAgent' && body?.agent_id && body.recovery_key) created.agents.set(body.agent_id, body.recovery_key);
  if (ex.op.operationId === 'createBlock' && body?.block_id && args.auth) created.blocks.set(body.block_id, args.auth);
  if (ex.op.operationId === 'deleteBlock' && args.path?.block_id) created.blocks.delete(args.path.block_id);
  if (ex.op.method === 'delete' && ex.op.path === '/api/agents/{agent_id}' && args.path?.agent_id) created.agents.delete(args.path.agent_id);
}

const AGENT_READS = 3;

/** Every block id of the owner's list (a few pages at most), or undefined when it cannot be read. */
async function listedBlocks(auth: string): Promise<string[] | undefined> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const ex = await call('listBlocks', { auth, query: cursor ? { limit: 100, cursor } : { limit: 100 } }).catch(() => undefined);
    if (!ex || ex.status !== 200) return undefined;
    const body = ex.body as { blocks?: { block_id?: string }[]; has_more?: boolean; next_cursor?: string | null };
    ids.push(...(body.blocks ?? []).map((b) => String(b.block_id)));
    if (!body.has_more || !body.next_cursor) return ids;
    cursor = body.next_cursor;
  }
  return ids;
}

export const CLEANUP_PREFIX = 'fluxra-contract: not cleaned up:';

/**
 * Deletes this file's blocks, then its agents when the spec has DELETE /api/agents/{agent_id}, and checks
 * the deletions by independent reads: every block against its owner's block list (one read per owner), and
 * the first AGENT_READS deleted agents against their public profile (a read per agent would add a quarter
 * to a live run's requests). Its requests are judged on documented facts only, so an inferred deviation
 * does not pass for a failed cleanup.
 */
export function cleanup(): Promise<string[]> {
  return runInTest({ tier: 'documented', name: '(cleanup)', file: '(cleanup)' }, cleanupNow);
}

async function cleanupNow(): Promise<string[]> {
  const left: string[] = [];
  const deleted = new Map<string, string[]>(); // owner's Authorization -> block ids deleted
  for (const [blockId, auth] of [...created.blocks]) {
    const ex = await call('deleteBlock', { path: { block_id: blockId }, auth }).catch(() => undefined);
    if (!ex || (ex.status !== 204 && ex.status !== 200 && ex.status !== 404)) left.push(`block ${blockId}`);
    else deleted.set(auth, [...(deleted.get(auth) ?? []), blockId]);
  }
  for (const [auth, ids] of deleted) {
    const listed = await listedBlocks(auth);
    if (!listed) continue; // the owner is gone or cannot list: nothing more to learn
    for (const id of ids) if (listed.includes(id)) left.push(`block ${id} (still listed after its deletion)`);
  }
  const deleteAgent = spec().operations.find((o) => o.method === 'delete' && o.path === '/api/agents/{agent_id}');
  let agentReads = 0;
  for (const [agentId, recoveryKey] of [...created.agents]) {
    if (!deleteAgent) {
      left.push(`agent ${agentId} (the spec has no DELETE /api/agents/{agent_id})`);
      continue;
    }
    const ex = await call(deleteAgent.operationId, { path: { agent_id: agentId }, auth: basic(agentId, recoveryKey) }).catch(() => undefined);
    if (!ex || ex.status >= 300) left.push(`agent ${agentId}`);
    else if (spec().byId.has('getAgentProfile') && agentReads++ < AGENT_READS) {
      const profile = await call('getAgentProfile', { path: { agent_id: agentId } }).catch(() => undefined);
      if (profile?.status === 200) left.push(`agent ${agentId} (its profile is still public after the deletion)`);
    }
  }
  created.agents.clear();
  created.blocks.clear();
  return left;
}

/** Call once at the top of each contract file: cleans up after the file on a live target. */
export function useContractTarget() {
  afterAll(async () => {
    if (target().kind !== 'url') return;
    const left = await cleanup();
    for (const item of left) console.log(`${CLEANUP_PREFIX} ${item}`);
  });
  return target();
}
