// The control plane's handlers, bound by operationId to src/control/control.openapi.yaml exactly as the
// API's are to openapi.yaml: each calls the in-process function of the same name (control.ts).
import type { HandlerMap } from '../handler.ts';
import type { Control } from './control.ts';
import type { FaultSpec } from './faults.ts';
import type { Seed } from './seed.ts';
import type { SettingsPatch } from './settings.ts';

/** What a control handler gets beside its validated input. */
export interface ControlEnv {
  /** X-Fluxra-Tenant, when given. */
  tenant: string | undefined;
  /** The fake's own origin, for HAR URLs. */
  baseUrl: string;
}

export interface ControlAssets {
  specText(): string;
  dashboardHtml(): string;
}

const ok = (body: unknown, status = 200) => ({ status, body });

export function controlHandlers(control: Control, assets: ControlAssets): HandlerMap<ControlEnv> {
  return {
    getControlSpec: () => ({ status: 200, body: assets.specText(), contentType: 'application/yaml' }),
    getDashboard: () => ({ status: 200, body: assets.dashboardHtml(), contentType: 'text/html' }),
    resetFake: (c) => ok(control.reset({ tenant: c.tenant, all: c.body?.all })),
    takeSnapshot: (c) => ok(control.snapshot(c)),
    saveState: async () => ok(await control.saveState()),
    restoreSnapshot: (c) => ok(control.restore(c.body, c)),
    seedFake: async (c) => ok(await control.seed(c.body as Seed, c), 201),
    inspectTenant: (c) => ok(control.inspect(c)),
    getClock: (c) => ok(control.clock.get(c)),
    freezeClock: (c) => ok(control.clock.freeze(c.body?.at, c)),
    unfreezeClock: (c) => ok(control.clock.unfreeze(c)),
    setClock: (c) => ok(control.clock.set(c.body.at, c)),
    advanceClock: (c) => ok(control.clock.advance(c.body, c)),
    listOutbox: (c) => ok(control.outbox.list({ agent_id: c.query.agent_id }, c)),
    clearOutbox: (c) => ok(control.outbox.clear({ agent_id: c.query.agent_id }, c)),
    listFaults: (c) => ok(control.faults.list(c)),
    addFault: (c) => ok(control.faults.add(c.body as FaultSpec, c), 201),
    clearFaults: (c) => ok(control.faults.clear(c)),
    deleteFault: (c) => ok(control.faults.remove(c.params.fault_id, c)),
    listJournal: (c) => ok(control.journal.list({ operation_id: c.query.operation_id, tenant: c.query.tenant, limit: c.query.limit }, c)),
    clearJournal: (c) => ok(control.journal.clear(c)),
    exportHar: (c) => ok(control.journal.har({ operation_id: c.query.operation_id, tenant: c.query.tenant }, c)),
    getSettings: (c) => ok(control.settings.get(c)),
    updateSettings: (c) => ok(control.settings.update(c.body as SettingsPatch, c)),
    listTenants: () => ok(control.tenants.list()),
    deleteTenant: (c) => ok(control.tenants.delete(c.params.tenant)),
  };
}
