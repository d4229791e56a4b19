// `npm run build` (also run by `prepare`, so `npm install` in a clone and `npm pack` build): compiles
// src/ and contracts/ with tsc -p tsconfig.build.json into dist/, removes outputs whose source is gone
// (tsc never deletes), and stamps the build. `--if-stale` builds only when a source, tsconfig or this
// script is newer than the stamp: `npm start`, `npm run contract` and npm test's global setup use it, so
// they never run a stale dist/ and cost a few stat calls when it is fresh. It also writes the JSON twins of
// the two OpenAPI documents and their validators compiled ahead of time (dist/spec-json/, see
// src/spec/load.ts and src/spec/precompile.ts), so no process parses YAML or compiles a schema at start.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
const SOURCES = ['src', 'contracts'];
const DOCUMENTS = ['openapi.yaml', 'src/control/control.openapi.yaml'];
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', ...DOCUMENTS];

function* files(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(DIST, 'src', 'cli.js'))) return true;
  const built = statSync(STAMP).mtimeMs;
  const inputs = [...SOURCES.flatMap((d) => [...files(join(ROOT, d))].filter((f) => f.endsWith('.ts'))), ...INPUTS.map((f) => join(ROOT, f))];
  return inputs.some((f) => statSync(f).mtimeMs > built);
}

/** dist/x/y.js and y.d.ts whose x/y.ts no longer exists (a file renamed or deleted since the last build). */
function removeOrphans() {
  for (const dir of SOURCES) {
    for (const out of files(join(DIST, dir))) {
      const source = join(ROOT, relative(DIST, out)).replace(/\.d\.ts$|\.js$/, '.ts');
      if (source !== out && !existsSync(source)) rmSync(out);
    }
  }
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write(`build: tsc -p tsconfig.build.json failed (exit ${result.status ?? result.signal})\n`);
  process.exit(1);
}
removeOrphans();
// Twins of older texts are dropped: only the documents as they are now have one.
rmSync(join(DIST, 'spec-json'), { recursive: true, force: true });
const { writeTwin } = await import(pathToFileURL(join(DIST, 'src', 'spec', 'load.js')).href);
const { writePrecompiledValidators } = await import(pathToFileURL(join(DIST, 'src', 'spec', 'precompile.js')).href);
for (const doc of DOCUMENTS) {
  writeTwin(join(ROOT, doc));
  writePrecompiledValidators(join(ROOT, doc));
}
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
