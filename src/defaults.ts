// Every default of the fake's configuration, defined once: the CLI (src/cli.ts) shows these in --help,
// createFake() falls back to them, and the README's flag table lists the same values. Defaults that are
// part of the API contract (page sizes, limits) live in openapi.yaml instead, where the validators apply them.
export const DEFAULTS = {
  /** `fluxra-fake --port` */
  port: 4010,
  /** `fluxra-fake --host`: loopback only unless asked */
  host: '127.0.0.1',
  /** access-token lifetime in seconds (`expires_in` of the token exchange) */
  tokenTtlSeconds: 3600,
  /** most tenants (X-Fluxra-Tenant) held at once */
  maxTenants: 1000,
  /** request-journal entries kept per tenant */
  journalSize: 500,
  /** largest API request body (the 413 limit) */
  bodyLimitBytes: 1024 * 1024,
  /** largest control-plane request body (snapshots and seeds are bigger than API bodies) */
  controlBodyLimitBytes: 50 * 1024 * 1024,
  /** most response bytes the journal captures per exchange */
  captureLimitBytes: 256 * 1024,
} as const;
