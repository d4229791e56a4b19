// The package entry: createFake() assembles an app in process (tenancy, the API plane, the control plane,
// docs); startFake() also listens on loopback. This is the one file the contract suite and users import.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { apiPlane } from './api.ts';
import { createApp } from './app.ts';
import { createControl, type Control } from './control/control.ts';
import { CONTROL_PREFIX, controlPlane, controlSpec } from './control/plane.ts';
import type { Seed } from './control/seed.ts';
import { DEFAULTS } from './defaults.ts';
import { handlers } from './domains/index.ts';
import { installClientErrorHandler } from './http/client-error.ts';
import type { ResponseViolation } from './http/plane.ts';
import { loadSpec } from './spec/load.ts';
import { validatorsFor } from './spec/validators.ts';
import { createTenancy, DEFAULT_TENANT, type Tenancy } from './tenant/tenancy.ts';
import type { Tenant } from './tenant/tenant.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

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
}

export interface Fake {
  app: Express;
  tenancy: Tenancy;
  /** The control plane in process: reset, snapshot/restore, seed, clock, outbox, faults, journal, settings, tenants. */
  control: Control;
  /** A tenant (created on first use). */
  state(tenant?: string): Tenant;
}

const printViolation = (v: ResponseViolation) =>
  console.error(`[fluxra-fake] RESPONSE VIOLATION ${v.operationId} ${v.status}: ${v.issues.map((i) => i.message).join('; ')}`);

export function createFake(options: FakeOptions = {}): Fake {
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
    version: VERSION,
  });
  const onResponseViolation = options.onResponseViolation ?? printViolation;
  const serveControl = options.control !== false;
  const docs = options.docs === false ? [] : [{ path: '/docs', spec, title: 'Fluxra Chat API (fake)' }];
  if (serveControl) docs.push({ path: `${CONTROL_PREFIX}/docs`, spec: controlSpec(), title: 'Fluxra fake control plane' });
  const app = createApp({
    tenancy,
    planes: {
      api: apiPlane({ validators, handlers, body: apiBody, before: control.hooks.before, onResponseViolation }),
      control: serveControl ? controlPlane(control, { body: controlBody, onResponseViolation }) : undefined,
    },
    docs,
    logger: options.logger,
    onExchange: control.hooks.onExchange,
  });
  return {
    app,
    tenancy,
    control,
    state: (tenant = DEFAULT_TENANT) => {
      const state = tenancy.get(tenant);
      if (!state) throw new Error(`tenant limit reached (${tenancy.maxTenants})`);
      return state;
    },
  };
}

export interface StartOptions extends FakeOptions {
  port?: number;
  host?: string;
  /** Applied to the default tenant before the first request (`--seed-file`). */
  seedData?: Seed;
}

export interface RunningFake extends Fake {
  url: string;
  /** What `seedData` made (credentials and ids), if given. */
  seeded?: Awaited<ReturnType<Control['seed']>>;
  server: Server;
  close(): Promise<void>;
}

export async function startFake(options: StartOptions = {}): Promise<RunningFake> {
  const fake = createFake(options);
  const seeded = options.seedData ? await fake.control.seed(options.seedData) : undefined;
  const server = createServer(fake.app);
  installClientErrorHandler(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? DEFAULTS.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    ...fake,
    url: `http://${host}:${port}`,
    seeded,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
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
