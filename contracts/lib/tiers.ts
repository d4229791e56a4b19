// The tiers of contract tests (meaning: contracts/lib/contract.ts). On their own so the CLI can check
// --tier before it loads vitest or the fake.
export const TIERS = ['quickstart', 'documented', 'inferred', 'fake-only'] as const;
export type Tier = (typeof TIERS)[number];

export const tierOf = (testName: string): Tier | undefined => TIERS.find((t) => testName.includes(`[${t}]`));
