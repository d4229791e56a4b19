// The package entry: createFake() assembles an app in process (tenancy, the API plane, the control plane,
// docs); startFake() also listens on loopback. This is the one file the contract suite and users import.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { apiPlane } from './api.ts';
import { createApp } from './app.ts';
import { createControl, type Control } from './control/control.ts';
import { CONTROL_PREFIX, controlPlane, controlSpec } from './control/plane.ts';
import type { Seed } from './control/seed.ts';
import { DEFAULTS } from './defaults.ts';
import { handlers } from './domains/index.ts';
import { isLoopback } from './control/access.ts';
import { createGracefulServer } from './http/server.ts';
import type { ResponseViolation } from './http/plane.ts';
import { assetPath } from './spec/assets.ts';
import { loadSpec } from './spec/load.ts';
import { validatorsFor } from './spec/validators.ts';
import { createTenancy, DEFAULT_TENANT, type Tenancy } from './tenant/tenancy.ts';
import type { Tenant } from './tenant/tenant.ts';

export const VERSION: string = JSON.parse(readFileSync(assetPath('package.json'), 'utf8')).version;

export interface FakeOptions {
  /** Makes ids, secrets, codes and signing keys repeat exactly from run to run. */
  seed?: string | number;
  /** Access-token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Most tenants (X-Fluxra-Tenant) held at once besides the default one, which always has a place (default 1000). */
  maxTenants?: number;
  /** A tenant other than the default one unused for this many seconds is dropped; 0: never (default 3600). */
  tenantIdleSeconds?: number;
  /** Most agents per tenant, deleted ones included (default 10,000); past it registration is 409. */
  maxAgents?: number;
  /** Most conversations per tenant (default 10,000). */
  maxConversations?: number;
  /** Most API keys per agent, revoked ones included (default 100). */
  maxKeysPerAgent?: number;
  /** Most members of one conversation (default 1,000). */
  maxMembers?: number;
  /** Most messages of one conversation, deleted ones included (default 100,000). */
  maxMessages?: number;
  /** Answer 401 as text/plain, as the docs warn some middleware does. */
  plainText401?: boolean;
  /** Freeze every tenant's clock at this instant at start. */
  clockStart?: Date;
  /** One line per request; omit for silence. */
  logger?: (line: string) => void;
  /** Called when the fake's own response breaks its document (a bug in the fake); default: stderr. */
  onResponseViolation?: (violation: ResponseViolation) => void;
  /** Serve the control plane under /__fake/ (default true). `fake.control` works in process either way. */
  control?: boolean;
  /** Entries kept per tenant in the request journal (default 500). */
  journalSize?: number;
  /** Bytes the request journal keeps across all tenants, oldest entries dropped first (default 64 MiB). */
  journalBudgetBytes?: number;
  /** A journalled body larger than this is kept as its size only (default 16 KiB). */
  journalBodyBytes?: number;
  /** Largest API request body in bytes; larger is 413 (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Deepest nesting of objects and arrays in an API request body; deeper is 400 (default 64). */
  maxJsonDepth?: number;
  /** Serve Swagger UI at /docs (default true). */
  docs?: boolean;
  /**
   * Answer CORS preflights and send Access-Control-Allow-Origin on the API routes, for any origin, so a
   * browser page on another origin can call the fake (default true). The control plane never sends them.
   */
  cors?: boolean;
  /** Host names besides the loopback ones (and the bound address) that may reach the control plane. */
  allowHosts?: string[];
  /** Require `Authorization: Bearer <controlToken>` on the control plane. */
  controlToken?: string;
  /**
   * Keep the state in this file: loaded when the fake is made (a corrupt, truncated or foreign file is
   * refused with a clear Error and left as it is), saved atomically by `control.saveState()`
   * (`POST /__fake/snapshot/save`) and, with startFake, periodically and on close.
   */
  stateFile?: string;
}

export interface Fake {
  app: Express;
  tenancy: Tenancy;
  /** The control plane in process: reset, snapshot/restore, seed, clock, outbox, faults, journal, settings, tenants. */
  control: Control;
  /** A tenant (created on first use). */
  state(tenant?: string): Tenant;
  /** What was loaded from the state file, when there was one to load. */
  restoredState?: { path: string; saved_at: string; tenants: string[] };
}

const printViolation = (v: ResponseViolation) =>
  console.error(`[fluxra-fake] RESPONSE VIOLATION ${v.operationId} ${v.status}: ${v.issues.map((i) => i.message).join('; ')}`);

export function createFake(options: FakeOptions & { host?: string } = {}): Fake {
  const { maxAgents, maxConversations, maxKeysPerAgent, maxMembers, maxMessages } = options;
  const tenancy = createTenancy({ ...options, limits: { maxAgents, maxConversations, maxKeysPerAgent, maxMembers, maxMessages } });
  const spec = loadSpec();
  const validators = validatorsFor(spec);
  const apiBody = { limitBytes: options.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes, maxDepth: options.maxJsonDepth ?? DEFAULTS.maxJsonDepth };
  // A snapshot nests what API bodies held plus its own encoding (a tag object per level at most, and the
  // tenant's structure), so the control plane accepts twice the API's depth and some.
  const controlBody = { limitBytes: DEFAULTS.controlBodyLimitBytes, maxDepth: 2 * apiBody.maxDepth + 32 };
  const control = createControl({
    tenancy,
    operations: validators.operations,
    journal: {
      perTenant: options.journalSize ?? DEFAULTS.journalSize,
      budgetBytes: options.journalBudgetBytes ?? DEFAULTS.journalBudgetBytes,
      bodyBytes: options.journalBodyBytes ?? DEFAULTS.journalBodyBytes,
    },
    maxDepth: controlBody.maxDepth,
    stateFile: options.stateFile,
    version: VERSION,
  });
  // Before the app exists: a state file that cannot be read stops here, nothing served, nothing written.
  const restoredState = control.loadState();
  const onResponseViolation = options.onResponseViolation ?? printViolation;
  const serveControl = options.control !== false;
  const docs = options.docs === false ? [] : [{ path: '/docs', spec, title: 'Fluxra Chat API (fake)' }];
  if (serveControl) docs.push({ path: `${CONTROL_PREFIX}/docs`, spec: controlSpec(), title: 'Fluxra fake control plane' });
  const app = createApp({
    tenancy,
    planes: {
      api: apiPlane({ validators, handlers, body: apiBody, before: control.hooks.before, onResponseViolation }),
      control: serveControl
        ? controlPlane(control, { body: controlBody, access: { allowHosts: options.allowHosts, boundHost: options.host, token: options.controlToken }, onResponseViolation })
        : undefined,
    },
    docs,
    cors: options.cors !== false,
    logger: options.logger,
    onExchange: control.hooks.onExchange,
  });
  return {
    app,
    tenancy,
    control,
    restoredState,
    state: (tenant = DEFAULT_TENANT) => {
      const state = tenancy.get(tenant);
      if (!state) throw new Error(`tenant limit reached (${tenancy.maxTenants})`);
      return state;
    },
  };
}

export interface StartOptions extends FakeOptions {
  port?: number;
  /** Address to bind (default 127.0.0.1); a non-loopback one gets a warning at start (onWarning). */
  host?: string;
  /** Applied to the default tenant before the first request (`--seed-file`); skipped when a state file was loaded. */
  seedData?: Seed;
  /** Server timeouts: a request whose headers, or whole self, have not arrived in time is answered 408. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** On close, requests in flight get this long to finish (default 5000 ms). */
  gracePeriodMs?: number;
  /** With `stateFile`, also save every this many seconds (default 30; 0: only on close and on request). */
  stateSaveSeconds?: number;
  /** Warnings at start (a non-loopback address); default: stderr. */
  onWarning?: (message: string) => void;
}

export interface RunningFake extends Fake {
  url: string;
  /** What `seedData` made (credentials and ids), if given and applied. */
  seeded?: Awaited<ReturnType<Control['seed']>>;
  server: Server;
  /**
   * Graceful: stops accepting, lets requests in flight finish (up to the grace period), then, with a state
   * file, saves the state. Resolves when done; every later call returns the same promise.
   */
  close(options?: { gracePeriodMs?: number }): Promise<void>;
}

const printWarning = (message: string) => process.stderr.write(`[fluxra-fake] warning: ${message}\n`);

export async function startFake(options: StartOptions = {}): Promise<RunningFake> {
  const host = options.host ?? DEFAULTS.host;
  const fake = createFake({ ...options, host });
  const seeded = options.seedData && !fake.restoredState ? await fake.control.seed(options.seedData) : undefined;
  const graceful = createGracefulServer(fake.app, {
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULTS.keepAliveTimeoutMs,
  });
  const { server } = graceful;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  if (!isLoopback(address)) {
    (options.onWarning ?? printWarning)(
      `listening on ${address}, which is not a loopback address: the API is reachable from other machines. ` +
        (options.control === false
          ? 'The control plane is off.'
          : `The control plane (/__fake) answers only requests whose Host is a loopback name${options.allowHosts?.length ? ` or ${options.allowHosts.join(', ')}` : ''}; ` +
            (options.controlToken ? 'it also requires the control token.' : 'set --control-token to require a token as well, or --no-control to switch it off.')),
    );
  }
  const saveSeconds = options.stateSaveSeconds ?? DEFAULTS.stateSaveSeconds;
  const timer = options.stateFile && saveSeconds > 0
    ? setInterval(() => fake.control.saveState().catch((err: Error) => printWarning(err.message)), saveSeconds * 1000).unref()
    : undefined;
  let closed: Promise<void> | undefined;
  return {
    ...fake,
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    seeded,
    server,
    close(closeOptions = {}) {
      clearInterval(timer);
      const serverClosed = graceful.close(closeOptions.gracePeriodMs ?? options.gracePeriodMs ?? DEFAULTS.gracePeriodMs);
      return (closed ??= serverClosed.then(async () => {
        // Every request that was answered is in the state now: the last save has all of it.
        if (options.stateFile) await fake.control.saveState();
      }));
    },
  };
}

export { DEFAULTS } from './defaults.ts';
export { loadSpec } from './spec/load.ts';
export { createValidators, validatorsFor } from './spec/validators.ts';
export type { Tenant } from './tenant/tenant.ts';
export type { Control } from './control/control.ts';
export type { Seed } from './control/seed.ts';
export type { Snapshot } from './control/snapshot.ts';
export type { ResponseViolation } from './http/plane.ts';
