// getHealth: public, outside /api.
import { describe, expect } from 'vitest';
import { call, useContractTarget } from './lib/call.ts';
import { expectStatus } from './lib/checks.ts';
import { contract, inferredPartsOfThisFile } from './lib/contract.ts';
import { serverClock, serverNow } from './lib/conventions.ts';

useContractTarget();

describe('getHealth', () => {
  contract('documented', 'answers 200 healthy with a timestamp and a version, without credentials', async () => {
    const ex = expectStatus(await call('getHealth'), 200);
    expect((ex.body as { status: string }).status).toBe('healthy');
  });

  // "current time": a clock, not a fixed string. The client's clock is only a loose bound (10 minutes).
  // The second call waits just past the clock's resolution: a timestamp with fractional seconds moves
  // within milliseconds, one in whole seconds needs a full second (the docs do not say which a server sends).
  contract('documented', 'timestamp is the current time in RFC 3339 UTC: it moves on between two calls', async () => {
    const { ms: first, fractional } = await serverClock();
    expect(Math.abs(first - Date.now()), 'health timestamp within 10 minutes of this machine\'s clock').toBeLessThan(600_000);
    await new Promise((r) => setTimeout(r, fractional ? 50 : 1100));
    expect(await serverNow()).toBeGreaterThan(first);
  });
});

inferredPartsOfThisFile();
