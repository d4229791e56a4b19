#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader in this same process (no child process, so signals
// and the PID are the server's own).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
