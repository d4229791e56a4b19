// The shapes parity passes between its parts: what a scenario sends and receives (raw, never kept), what
// is recorded (normalised and redacted), what the differ finds and how it is classified.

/** What a scenario step sends. Path parameters are filled into the spec's path template. */
export interface CallArgs {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Sent as the body as is, with Content-Type: application/json (malformed JSON on purpose). */
  rawBody?: string;
  /** The whole Authorization header value, or none. */
  auth?: string;
}

/** A raw answer as a scenario sees it: only inside the run, never written anywhere. */
export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: unknown;
  text: string;
}

/**
 * `quickstart` / `documented`: the public Quickstart or reference pages state it, so a target that does
 * otherwise breaks the documented contract. `inferred`: openapi.yaml chose it where the docs are silent.
 */
export type Tier = 'quickstart' | 'documented' | 'inferred';

/** A rule the scenario states about one step's answer, checked on each side separately. */
export interface Claim {
  /** `status`, `header.<name>` or a JSON path into the body (`$.conversation_id`). */
  path: string;
  rule: string;
  tier: Tier;
  /** Where the rule is written: a docs page for documented rules, an openapi.yaml place for inferred ones. */
  source: string;
  ok: boolean;
}

/** A place where one side's answer breaks openapi.yaml (the same Ajv validators the fake uses). */
export interface SpecProblem {
  aspect: 'status' | 'content-type' | 'body' | 'header';
  /** `status`, `content-type`, `header.<name>` or a JSON path into the body. */
  path: string;
  message: string;
  tier: Tier;
  /** The openapi.yaml place that decides it (`paths./api/blocks.post`, `components.schemas.Block` ...). */
  place: string;
}

/** A timestamp that failed the sanity checks (RFC 3339 UTC, within the scenario, in order). */
export interface TimeProblem { path: string; message: string }

/** One exchange as it is kept: every id a reference, every timestamp an offset, every secret a label. */
export interface RecordedExchange {
  step: string;
  operationId: string;
  request: { method: string; path: string; query?: Record<string, string>; auth?: string; body?: unknown };
  response: { status: number; headers: Record<string, string>; body?: unknown };
  /** JSON paths (under `$`) whose arrays the scenario does not fix: their length, order and values are not compared. */
  unfixed?: string[];
  problems: SpecProblem[];
  claims: Claim[];
  times: TimeProblem[];
  ms: number;
}

/** One side's run of one scenario. */
export interface SideRun {
  side: 'fake' | 'target';
  exchanges: RecordedExchange[];
  /** Set when the scenario could not go on (a value it needed was missing, or the transport failed). */
  aborted?: { afterStep?: string; step?: string; reason: string; transport: boolean };
  /** The scenario's input strings, normalised (compared by value wherever they come back). */
  inputs: string[];
}

export type DifferenceKind =
  | 'status' | 'error-code' | 'content-type' | 'header'
  | 'missing' | 'extra' | 'renamed' | 'type' | 'length' | 'order' | 'value' | 'time' | 'step';

export type DifferenceClass = 'target-breaks-contract' | 'target-differs-from-inferred' | 'fake-breaks-contract';

export const CLASS_LABEL: Record<DifferenceClass, string> = {
  'target-breaks-contract': 'target breaks the documented contract',
  'target-differs-from-inferred': 'target differs from our inferred choice',
  'fake-breaks-contract': 'fake breaks the contract (our bug)',
};

export interface Difference {
  scenario: string;
  step: string;
  operationId: string;
  path: string;
  kind: DifferenceKind;
  /** Normalised values, as JSON text (or a short description). */
  fake: string;
  target: string;
  note?: string;
  class: DifferenceClass;
  /** Why it is in that class: the rule that was broken, or the openapi.yaml place that chose. */
  because: string;
  /** Set when a known-differences entry covers it. */
  known?: { reason: string; verified: string };
}

export interface ScenarioResult {
  name: string;
  title: string;
  fake: SideRun;
  target: SideRun;
  differences: Difference[];
}
