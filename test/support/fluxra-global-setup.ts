// A vitest globalSetup that starts one fake for the whole run (the README's example, verbatim):
// vitest.config.ts: `test: { globalSetup: ['test/support/fluxra-global-setup.ts'] }`.
import type { TestProject } from 'vitest/node';
import { startFake } from '../../src/index.ts'; // in your project: from 'fluxra-fake'

declare module 'vitest' {
  export interface ProvidedContext {
    fluxraUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const fake = await startFake({ port: 0 }); // loopback, any free port, control plane on
  project.provide('fluxraUrl', fake.url);
  return () => fake.close();
}
