// npm test's global setup: the tests that run the package as its users do (the CLIs as child processes,
// `npm start`, the packed tarball) need the compiled dist/. Builds it once, before any test file runs,
// when a source is newer than the last build (a few stat calls otherwise).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup() {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
}
