// The package entry: createFake() builds an app in process; startFake() also listens on loopback.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { createApp, type AppHooks } from './app.ts';
import { handlers } from './domains/index.ts';
import type { ResponseViolation } from './http/pipeline.ts';
import { validatorsFor } from './spec/validators.ts';
import { loadSpec } from './spec/load.ts';
import { createTenancy, DEFAULT_TENANT, type Tenancy, type TenantState } from './state/tenant.ts';
import { installClientErrorHandler } from './http/client-error.ts';
import { readFileSync } from 'node:fs';
import { createControl, type Control } from './control/control.ts';
import { mountSwaggerUi } from './control/docs.ts';
import { mountControl } from './control/http.ts';
import type { Seed } from './control/seed.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface FakeOptions {
  /** Makes ids, secrets, codes and signing keys repeat exactly from run to run. */
  seed?: string | number;
  /** Access-token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Most tenants (X-Fluxra-Tenant) held at once (default 1000). */
  maxTenants?: number;
  /** Answer 401 as text/plain, as the docs warn some middleware does. */
  plainText401?: boolean;
  /** Freeze every tenant's clock at this instant at start. */
  clockStart?: Date;
  /** One line per request; omit for silence. */
  logger?: (line: string) => void;
  /** Called when the fake's own response breaks the spec (a bug in the fake); default: stderr. */
  onResponseViolation?: (violation: ResponseViolation) => void;
  hooks?: AppHooks;
  /** Serve the control plane under /__fake/ (default true). `fake.control` works in process either way. */
  control?: boolean;
  /** Entries kept per tenant in the request journal (default 500). */
  journalSize?: number;
  /** Serve Swagger UI at /docs (default true). */
  docs?: boolean;
}

export interface Fake {
  app: Express;
  tenancy: Tenancy;
  /** The control plane in process: reset, snapshot/restore, seed, clock, outbox, faults, journal, settings, tenants. */
  control: Control;
  /** A tenant's state (created on first use). */
  state(tenant?: string): TenantState;
}

export function createFake(options: FakeOptions = {}): Fake {
  const tenancy = createTenancy(options);
  const spec = loadSpec();
  const validators = validatorsFor(spec);
  const control = createControl({ tenancy, operations: validators.operations, journalSize: options.journalSize, version: VERSION });
  const user = options.hooks ?? {};
  const app = createApp({
    tenancy,
    validators,
    handlers,
    hooks: {
      async beforeOperation(op, req, res, state) {
        if (await control.hooks.beforeOperation(op, req, res, state)) return true;
        return (await user.beforeOperation?.(op, req, res, state)) ?? false;
      },
      afterExchange(exchange) {
        control.hooks.afterExchange(exchange);
        user.afterExchange?.(exchange);
      },
      mount(app) {
        if (options.docs !== false) mountSwaggerUi(app, '/docs', spec, 'Fluxra Chat API (fake)');
        if (options.control !== false) mountControl(app, control);
        user.mount?.(app);
      },
    },
    logger: options.logger,
    onResponseViolation: options.onResponseViolation,
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
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
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

export { loadSpec } from './spec/load.ts';
export { createValidators, validatorsFor } from './spec/validators.ts';
export type { TenantState } from './state/tenant.ts';
export type { Control } from './control/control.ts';
export type { Seed } from './control/seed.ts';
export type { Snapshot } from './control/snapshot.ts';
