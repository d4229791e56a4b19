// getHealth: public, outside /api.
import { describe, expect } from 'vitest';
import { call, useContractTarget } from './lib/call.ts';
import { expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';

useContractTarget();

describe('getHealth', () => {
  contract('documented', 'answers 200 healthy with a timestamp and a version, without credentials', async () => {
    const ex = expectStatus(await call('getHealth'), 200);
    expect((ex.body as { status: string }).status).toBe('healthy');
  });
});
