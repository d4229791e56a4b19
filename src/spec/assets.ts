// Where the package's own files are: openapi.yaml, the control plane's document and dashboard, and
// package.json (for the version). They ship beside the code (package.json "files") and are found from the
// package root, so the same lookup works from the TypeScript sources (src/spec/) and from the compiled
// build (dist/src/spec/), in this clone or installed under a user's node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'fluxra-fake';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`${PACKAGE_NAME}: cannot find its package.json above ${start}`);
  }
}

/** The directory that holds the package's package.json and openapi.yaml. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The absolute path of a file shipped with the package, e.g. `assetPath('openapi.yaml')`. */
export const assetPath = (relative: string) => join(PACKAGE_ROOT, relative);
