// The control plane's OpenAPI document (control.openapi.yaml beside this file), read once per process,
// and its validators: the HTTP routes validate with them (plane.ts), and so do the in-process calls that
// take the same input (validate.ts), so `control.seed()` refuses exactly what `POST /__fake/seed` does.
import { readFileSync } from 'node:fs';
import { assetPath } from '../spec/assets.ts';
import { loadSpec } from '../spec/load.ts';
import { validatorsFor } from '../spec/validators.ts';

// Shipped as a file (package.json "files"), read from the package root whether this runs compiled or not.
const CONTROL_SPEC_PATH = assetPath('src/control/control.openapi.yaml');
export const CONTROL_PREFIX = '/__fake';

let specText: string | undefined;
/** The document's text, as served at GET /__fake/openapi.yaml (read once per process). */
export const controlSpecText = () => (specText ??= readFileSync(CONTROL_SPEC_PATH, 'utf8'));
export const controlSpec = () => loadSpec(CONTROL_SPEC_PATH);
export const controlValidators = () => validatorsFor(controlSpec());
