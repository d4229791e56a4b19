// The control plane answers what its own document says: every operation of control.openapi.yaml is
// called once and its response checked against the documented status and schema.
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { controlSpecText } from '../src/control/plane.ts';
import { deref, escapePointer, type Spec } from '../src/spec/load.ts';
import { indexOperations } from '../src/spec/operations.ts';
import { setupFake } from './helpers.ts';

const spec = parse(controlSpecText()) as Spec;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajvFormats.default(ajv);
ajv.addSchema(spec as object, 'control.json');
const operations = indexOperations(spec);

describe('control.openapi.yaml', () => {
  it('describes every control response: each operation called, status and body as documented', async () => {
    const { req, actor } = setupFake();
    await actor({ email: 'x@example.com' });
    const seeded = await req('post', '/__fake/seed').send({ agents: [{ ref: 'a', agent_name: 'spec-bot', keys: [{ token: true }] }] });
    const fault = await req('post', '/__fake/faults').send({ operation_id: 'getHealth', status: 500 });
    const snapshot = (await req('get', '/__fake/snapshot')).body;
    await req('get', '/health').set('X-Fluxra-Tenant', 'spare');
    const calls: Record<string, () => ReturnType<typeof req>> = {
      getControlSpec: () => req('get', '/__fake/openapi.yaml'),
      getDashboard: () => req('get', '/__fake/ui'),
      resetFake: () => req('post', '/__fake/reset').set('X-Fluxra-Tenant', 'spare').send({}),
      takeSnapshot: () => req('get', '/__fake/snapshot'),
      // Without a state file: the documented 409 (test/shutdown.test.ts saves for real).
      saveState: () => req('post', '/__fake/snapshot/save'),
      restoreSnapshot: () => req('post', '/__fake/restore').send(snapshot),
      seedFake: () => req('post', '/__fake/seed').send({ agents: [{ agent_name: 'more-bot' }] }),
      inspectTenant: () => req('get', '/__fake/inspect'),
      getClock: () => req('get', '/__fake/clock'),
      freezeClock: () => req('post', '/__fake/clock/freeze').send({}),
      unfreezeClock: () => req('post', '/__fake/clock/unfreeze'),
      setClock: () => req('post', '/__fake/clock/set').send({ at: '2026-04-03T20:00:00Z' }),
      advanceClock: () => req('post', '/__fake/clock/advance').send({ seconds: 1 }),
      listOutbox: () => req('get', '/__fake/outbox'),
      clearOutbox: () => req('delete', '/__fake/outbox'),
      listFaults: () => req('get', '/__fake/faults'),
      addFault: () => req('post', '/__fake/faults').send({ operation_id: 'registerAgent', delay_ms: 1 }),
      clearFaults: () => req('delete', '/__fake/faults'),
      deleteFault: () => req('delete', `/__fake/faults/${fault.body.fault_id}`),
      listJournal: () => req('get', '/__fake/journal'),
      clearJournal: () => req('delete', '/__fake/journal'),
      exportHar: () => req('get', '/__fake/journal/har'),
      getSettings: () => req('get', '/__fake/settings'),
      updateSettings: () => req('patch', '/__fake/settings').send({ plain_text_401: false }),
      listTenants: () => req('get', '/__fake/tenants'),
      deleteTenant: () => req('delete', '/__fake/tenants/spare'),
    };
    expect(seeded.status).toBe(201);
    expect(Object.keys(calls).sort()).toEqual(operations.map((op) => op.operationId).sort());
    for (const op of operations) {
      const res = await calls[op.operationId]();
      const response = op.responses[String(res.status)];
      expect(response, `${op.operationId} answered undocumented ${res.status}: ${res.text.slice(0, 200)}`).toBeDefined();
      const mediaType = Object.keys(response.content)[0];
      expect(res.headers['content-type'], op.operationId).toContain(mediaType);
      if (mediaType === 'application/json') {
        const raw = deref<any>(spec, (op.raw.responses as any)[String(res.status)]);
        const pointer = (op.raw.responses as any)[String(res.status)].$ref ?? `#/paths/${escapePointer(op.path)}/${op.method}/responses/${res.status}`;
        expect(raw.content[mediaType].schema).toBeDefined();
        const validate = ajv.getSchema(`control.json${pointer}/content/${escapePointer(mediaType)}/schema`)!;
        expect(validate(res.body), `${op.operationId}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });
});
