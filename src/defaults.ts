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
  /** most tenants (X-Fluxra-Tenant) held at once, besides the default tenant (which always has a place) */
  maxTenants: 1000,
  /** a tenant other than the default one unused for this long is dropped (0: never) */
  tenantIdleSeconds: 3600,
  /** request-journal entries kept per tenant */
  journalSize: 500,
  /** request-journal bytes kept across all tenants (oldest entries dropped first) */
  journalBudgetBytes: 64 * 1024 * 1024,
  /** a journalled request or response body larger than this is kept as a truncation marker */
  journalBodyBytes: 16 * 1024,
  /** largest API request body (the 413 limit) */
  bodyLimitBytes: 1024 * 1024,
  /** deepest nesting of objects and arrays in an API request body (400 past it) */
  maxJsonDepth: 64,
  /** largest control-plane request body (snapshots and seeds are bigger than API bodies) */
  controlBodyLimitBytes: 50 * 1024 * 1024,
  /** most response bytes the journal captures per exchange */
  captureLimitBytes: 256 * 1024,
  /** most agents per tenant (deleted ones count: their ids stay taken) */
  maxAgents: 10_000,
  /** most conversations per tenant */
  maxConversations: 10_000,
  /** most API keys per agent (revoked ones count: they stay listed) */
  maxKeysPerAgent: 100,
  /** most members of one conversation */
  maxMembers: 1_000,
  /** most messages of one conversation (deleted ones count: they keep their place in the feed) */
  maxMessages: 100_000,
  /** a request whose headers have not all arrived after this long is answered 408 */
  headersTimeoutMs: 20_000,
  /** a request that has not fully arrived (headers and body) after this long is answered 408 */
  requestTimeoutMs: 30_000,
  /** an idle keep-alive connection is closed after this long */
  keepAliveTimeoutMs: 5_000,
  /** on shutdown, requests in flight get this long to finish before their connections are closed */
  gracePeriodMs: 5_000,
  /** with a state file, the state is also saved this often (0: only on shutdown and on request) */
  stateSaveSeconds: 30,
} as const;
