#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader in this same process (as bin/fluxra-fake.js does).
import { register } from 'tsx/esm/api';
register();
await import('../contracts/cli.ts');
