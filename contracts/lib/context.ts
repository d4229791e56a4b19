// Which contract test a request belongs to. `contract()` runs each test body inside this context, so the
// automatic checks (contracts/lib/checks.ts) and the credentials (contracts/lib/credentials.ts) know the
// tier they serve without every call passing it along. AsyncLocalStorage, not a module variable: the
// suite's files share one module graph per worker (isolate: false), and a test's helpers run in its chain.
import { AsyncLocalStorage } from 'node:async_hooks';

export type TierName = 'quickstart' | 'documented' | 'inferred' | 'fake-only';

export interface TestInContext {
  tier: TierName;
  /** The test's name as reported: "[tier] name". */
  name: string;
  /** The contract file the test is in (findings are gathered per file). */
  file: string;
}

const storage = new AsyncLocalStorage<TestInContext>();

export const runInTest = <T>(test: TestInContext, fn: () => Promise<T>) => storage.run(test, fn);

/** The test being run, or undefined outside a contract test (e.g. cleanup in afterAll). */
export const currentTest = (): TestInContext | undefined => storage.getStore();

/** Quickstart and documented verdicts rest on documented facts only (the documented view). */
export const restsOnDocumentedFacts = (test = currentTest()) => test?.tier === 'quickstart' || test?.tier === 'documented';
