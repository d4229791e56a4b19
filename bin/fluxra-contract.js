#!/usr/bin/env node
// The `fluxra-contract` command: the compiled CLI (dist/, written by `npm run build`; see bin/fluxra-fake.js).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/contracts/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('fluxra-contract: the package is not built (dist/ is missing): run `npm run build`\n');
  process.exit(2);
}
await import(cli.href);
