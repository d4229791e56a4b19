// What a scenario sees: `call(step, operationId, args)` sends one request to this side (the fake or the
// target), checks the raw answer against openapi.yaml, normalises and records it, and hands the raw answer
// back so the scenario can go on with this side's own ids and secrets. The scenario states its rules on
// the answer (`claim`, `status`, `error`, `same`), each with its tier and where it is written; they are
// checked on each side on its own, and classify a difference when one side keeps the rule and the other
// does not. Raw values never leave the session: only the normalised exchange is kept.
import type { SpecValidators } from '../../src/spec/validators.ts';
import { get, parsePath } from './json-path.ts';
import type { Normaliser } from './normalise.ts';
import { specProblems } from './spec-check.ts';
import type { SpecPlaces } from './spec-places.ts';
import type { Transport } from './transport.ts';
import type { CallArgs, Claim, RawResponse, RecordedExchange, SideRun, Tier } from './types.ts';

/** The scenario cannot go on on this side (a value it needs is missing, or the transport failed). */
export class ScenarioAbort extends Error {
  constructor(readonly step: string, message: string, readonly transport = false) {
    super(message);
    this.name = 'ScenarioAbort';
  }
}

export interface Actor { name: string; agentId: string; recoveryKey: string; keyId: string; apiKey: string; token: string }

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
export const bearer = (token: string) => `Bearer ${token}`;

/** One step's answer with the scenario's rules about it. */
export class Step {
  constructor(readonly name: string, readonly res: RawResponse, private readonly record: RecordedExchange) {}

  get status() {
    return this.res.status;
  }

  get body() {
    return this.res.body as Record<string, unknown> | undefined;
  }

  /** A value the scenario needs to go on: missing on this side, the scenario stops here. */
  need<T = string>(path: string): T {
    const value = get(this.res.body, parsePath(path));
    if (value === undefined || value === null) throw new ScenarioAbort(this.name, `the answer (${this.res.status}) has no ${path}, which the next steps need`);
    return value as T;
  }

  /** A value, or undefined (for rules). */
  at(path: string): unknown {
    return get(this.res.body, parsePath(path));
  }

  claim(path: string, ok: boolean, rule: string, tier: Tier, source: string): this {
    const claim: Claim = { path, rule, tier, source, ok };
    this.record.claims.push(claim);
    return this;
  }

  /** The status is one of these. */
  expectStatus(allowed: number[], tier: Tier, source: string): this {
    return this.claim('status', allowed.includes(this.res.status), `status ${allowed.join(' or ')}`, tier, source);
  }

  /** An error of this status and code (the code may be stated more weakly than the status, or the other way round). */
  expectError(status: number, code: string, tier: Tier, source: string, codeTier: Tier = tier): this {
    this.claim('status', this.res.status === status, `status ${status}`, tier, source);
    return this.claim('$.error.code', this.at('$.error.code') === code, `error code ${code}`, codeTier, source);
  }

  /** A success (2xx) whatever its exact status. */
  expectSuccess(tier: Tier, source: string): this {
    return this.claim('status', this.res.status >= 200 && this.res.status < 300, 'a success (2xx)', tier, source);
  }

  /** The value at `path` is `expected` (an id seen earlier on this side, an input ...). */
  expectSame(path: string, expected: unknown, rule: string, tier: Tier, source: string): this {
    return this.claim(path, JSON.stringify(this.at(path)) === JSON.stringify(expected), rule, tier, source);
  }
}

export interface SessionOptions {
  transport: Transport;
  normaliser: Normaliser;
  validators: SpecValidators;
  places: SpecPlaces;
  run: SideRun;
  /** The scenario's generated inputs (names, emails) that the session hands out. */
  name(label: string): string;
  email(label: string): string;
}

export class Session {
  readonly side: 'fake' | 'target';
  /** Agents this side registered (for the clean-up of a live target). */
  readonly agents: { agentId: string; recoveryKey: string }[] = [];
  private readonly steps = new Set<string>();

  constructor(private readonly o: SessionOptions) {
    this.side = o.transport.side;
  }

  name(label: string) {
    return this.o.name(label);
  }

  email(label: string) {
    return this.o.email(label);
  }

  async call(step: string, operationId: string, args: CallArgs = {}, options: { unfixed?: string[] } = {}): Promise<Step> {
    if (this.steps.has(step)) throw new Error(`scenario step "${step}" is used twice`);
    this.steps.add(step);
    const op = this.o.validators.byId.get(operationId);
    if (!op) throw new Error(`operation ${operationId} is not in openapi.yaml`);
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = args.path?.[name];
      if (value === undefined) throw new Error(`${step}: path parameter ${name} missing`);
      return encodeURIComponent(value);
    });
    const query = Object.entries(args.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
    const url = query.length ? `${path}?${new URLSearchParams(query).toString()}` : path;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (args.auth) headers.authorization = args.auth;
    let body: string | undefined;
    if (args.rawBody !== undefined) body = args.rawBody;
    else if (args.body !== undefined) body = JSON.stringify(args.body);
    if (body !== undefined) headers['content-type'] = 'application/json';

    const sentAt = Date.now();
    let res: RawResponse;
    try {
      res = await this.o.transport.send({ operationId, method: op.method.toUpperCase(), url, headers, body });
    } catch (err) {
      throw new ScenarioAbort(step, (err as Error).message, true);
    }
    const receivedAt = Date.now();
    const n = this.o.normaliser;
    const problems = specProblems(this.o.validators, this.o.places, op, res);
    for (const v of this.o.transport.violations()) {
      problems.push({ aspect: 'body', path: '$', message: `the fake's own answer broke openapi.yaml and was replaced by a 500: ${v.issues.map((i) => i.message).join('; ')}`, tier: 'documented', place: `paths.${op.path}.${op.method}.responses` });
    }
    // Requests first, so ids the scenario sends keep the numbers they got when they first came back.
    const request: RecordedExchange['request'] = {
      method: op.method.toUpperCase(),
      path: op.path.replace(/\{([^}]+)\}/g, (_, name: string) => n.param(name, args.path?.[name] ?? '')),
    };
    if (query.length) request.query = Object.fromEntries(query.map(([k, v]) => [k, n.param(k, v)]));
    const auth = n.auth(args.auth);
    if (auth) request.auth = auth;
    if (args.rawBody !== undefined) request.body = n.text(args.rawBody);
    else if (args.body !== undefined) request.body = n.value(args.body, false);
    collectInputs(request.body, this.o.run.inputs);
    for (const v of Object.values(request.query ?? {})) addInput(v, this.o.run.inputs);

    const time = { sentAt, receivedAt, problems: [] };
    const normalisedBody = res.text === '' ? undefined : typeof res.body === 'string' ? n.text(res.body) : n.value(res.body, true, time);
    const record: RecordedExchange = {
      step,
      operationId,
      request,
      response: { status: res.status, headers: this.keptHeaders(op.responses, res.headers), ...(normalisedBody === undefined ? {} : { body: normalisedBody }) },
      ...(options.unfixed?.length ? { unfixed: options.unfixed } : {}),
      problems,
      claims: [],
      times: time.problems,
      ms: receivedAt - sentAt,
    };
    this.o.run.exchanges.push(record);
    if (operationId === 'registerAgent' && res.status < 300) {
      const b = res.body as { agent_id?: unknown; recovery_key?: unknown } | undefined;
      if (typeof b?.agent_id === 'string' && typeof b.recovery_key === 'string') this.agents.push({ agentId: b.agent_id, recoveryKey: b.recovery_key });
    }
    return new Step(step, res, record);
  }

  /** The headers kept in a recording: the media type and every header the spec documents for the operation. */
  private keptHeaders(responses: Record<string, { headers: string[] }>, headers: Record<string, string>) {
    const names = new Set(['content-type', ...Object.values(responses).flatMap((r) => r.headers.map((h) => h.toLowerCase()))]);
    const out: Record<string, string> = {};
    for (const name of [...names].sort()) if (headers[name] !== undefined) out[name] = this.o.normaliser.text(headers[name]);
    return out;
  }

  /** Registers an agent, creates an API key and exchanges it for a token: three steps named after the actor. */
  async actor(label: string, options: { scopes?: string[]; email?: boolean } = {}): Promise<Actor> {
    const name = this.name(label);
    const reg = await this.call(`${label}: register`, 'registerAgent', { body: { agent_name: name, ...(options.email ? { email: this.email(label) } : {}) } });
    reg.expectSuccess('quickstart', 'Quickstart step 1: register an agent');
    const agentId = reg.need('$.agent_id');
    const recoveryKey = reg.need('$.recovery_key');
    const key = await this.call(`${label}: create an API key`, 'createApiKey', {
      path: { agent_id: agentId },
      auth: basic(agentId, recoveryKey),
      body: { name: 'parity', ...(options.scopes ? { scopes: options.scopes } : {}) },
    });
    key.expectSuccess('quickstart', 'Quickstart step 2: create an API key');
    const apiKey = key.need('$.api_key');
    const tok = await this.call(`${label}: exchange the key for a token`, 'exchangeToken', { auth: basic(agentId, apiKey), body: { grant_type: 'client_credentials' } });
    tok.expectStatus([200], 'quickstart', 'Quickstart step 3: exchange the API key for a JWT');
    return { name, agentId, recoveryKey, keyId: key.need('$.key_id'), apiKey, token: tok.need('$.access_token') };
  }
}

function addInput(v: unknown, inputs: string[]) {
  if (typeof v === 'string' && !inputs.includes(v)) inputs.push(v);
}

function collectInputs(value: unknown, inputs: string[]) {
  if (typeof value === 'string') addInput(value, inputs);
  else if (Array.isArray(value)) value.forEach((v) => collectInputs(v, inputs));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectInputs(v, inputs));
}
