#!/usr/bin/env node
// The `fluxra-fake` command: the compiled CLI (dist/, written by `npm run build`, which `npm install` in a
// clone and `npm pack` run through `prepare`). Same process, so signals and the PID are the server's own.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('fluxra-fake: the package is not built (dist/ is missing): run `npm run build`\n');
  process.exit(1);
}
await import(cli.href);
