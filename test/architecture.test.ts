// The import rules of ARCHITECTURE.md hold: dependency-cruiser, with the rules in .dependency-cruiser.cjs,
// finds no upward import and no circle in the tree, and does find them in a fixture that breaks them on
// purpose (so a rule that matches nothing cannot pass unnoticed).
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

async function violations(baseDir: string, dirs: string[]) {
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise(dirs, { ...options, baseDir }, {}, { tsConfig });
  const result = output as ICruiseResult;
  return {
    modules: result.modules.length,
    found: result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`),
  };
}

describe('architecture', () => {
  it('has no upward import and no circle (src, contracts, test, scripts, bench, bin)', async () => {
    const { modules, found } = await violations(ROOT, ['src', 'contracts', 'test', 'scripts', 'bench', 'bin']);
    expect(found).toEqual([]);
    expect(modules).toBeGreaterThan(100); // the whole tree was read, not an empty selection
  }, 60_000);

  it('catches an upward import and a type-only circle when they are there', async () => {
    const { found } = await violations(join(ROOT, 'test', 'fixtures', 'architecture'), ['src', 'contracts']);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^basics-stay-basic: src\/basics\/clock\.ts -> src\/tenant\/tenant\.ts/),
      expect.stringMatching(/^no-circular: contracts\/(a|b)\.ts -> contracts\/(a|b)\.ts/),
    ]));
  }, 60_000);
});
