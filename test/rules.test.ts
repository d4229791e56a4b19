// The list of documented rules (contracts/rules.ts) against the contract files: every rule is checked by
// tests that exist (named "<describe> > [tier] <name>", read from the sources with the TypeScript parser)
// or says why it cannot be; a rule only fake-only or only inferred tests check says why; and the coverage
// figure of a run counts a rule as held, broken or not run from the tests' outcomes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ruleCoverage, ruleCoverageLines } from '../contracts/lib/coverage.ts';
import { isChecked, RULES } from '../contracts/rules.ts';

const CONTRACTS = join(import.meta.dirname, '..', 'contracts');

/** Every contract test's full name, as the reporter names it: "<describe> > [tier] <name>". */
function contractTestNames(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(CONTRACTS).filter((f) => f.endsWith('.contract.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(join(CONTRACTS, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const text = (n: ts.Node | undefined) => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined);
    const visit = (node: ts.Node, within: string[]) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const [first, second] = node.arguments;
        if (node.expression.text === 'describe' && text(first)) {
          node.arguments.slice(1).forEach((a) => visit(a, [...within, text(first)!]));
          return;
        }
        if (node.expression.text === 'contract' && text(first) && text(second)) names.add([...within, `[${text(first)}] ${text(second)}`].join(' > '));
      }
      ts.forEachChild(node, (child) => visit(child, within));
    };
    visit(source, []);
  }
  return names;
}

describe('the documented rules (contracts/rules.ts)', () => {
  const names = contractTestNames();

  it('finds the contract tests it refers to', () => {
    expect(names.size).toBeGreaterThan(100);
    expect(names).toContain('createApiKey > [documented] omitted scopes give the default set of four');
  });

  it('each rule has a unique id, a statement and a source', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.statement.length, r.id).toBeGreaterThan(10);
      expect(r.source.length, r.id).toBeGreaterThan(3);
    }
  });

  it('each rule is checked by tests that exist, or says why it cannot be checked (not both)', () => {
    const problems: string[] = [];
    for (const r of RULES) {
      const tests = r.checkedBy ?? [];
      if (tests.length === 0 && !r.notCheckable) problems.push(`${r.id}: neither checkedBy nor notCheckable`);
      if (tests.length > 0 && r.notCheckable) problems.push(`${r.id}: both checkedBy and notCheckable`);
      for (const name of tests) if (!names.has(name)) problems.push(`${r.id}: no contract test "${name}"`);
    }
    expect(problems).toEqual([]);
  });

  it('a rule that only fake-only or only inferred tests check says why no quickstart or documented test can', () => {
    const problems: string[] = [];
    for (const r of RULES.filter(isChecked)) {
      const tiers = new Set(r.checkedBy!.map((n) => /\[([a-z-]+)\]/.exec(n)?.[1]));
      if (tiers.size === 1 && tiers.has('fake-only') && !r.fakeOnlyBecause) problems.push(`${r.id}: only fake-only tests, no fakeOnlyBecause`);
      if (tiers.size === 1 && tiers.has('inferred') && !r.inferredBecause) problems.push(`${r.id}: only inferred tests, no inferredBecause`);
      if (!tiers.has('quickstart') && !tiers.has('documented') && !tiers.has('inferred') && !r.fakeOnlyBecause) problems.push(`${r.id}: no live check and no reason`);
    }
    expect(problems).toEqual([]);
  });

  it('every documented error code of the conventions and the reference pages is produced, or says why not', () => {
    const codes = ['INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'RATE_LIMIT_EXCEEDED', 'INTERNAL_ERROR', 'INVALID_AGENT_ID', 'INVALID_KEY_NAME', 'INVALID_TARGET', 'CONFLICT'];
    for (const code of codes) {
      const rules = RULES.filter((r) => r.kind === 'code' && r.statement.includes(code));
      expect(rules.length, `a code rule for ${code}`).toBeGreaterThan(0);
    }
  });

  it("a run's figure: a rule holds when all its tests passed, is broken when one failed, not run when one was skipped", () => {
    const all = RULES.flatMap((r) => r.checkedBy ?? []).map((fullName) => ({ fullName, state: 'passed' }));
    const held = ruleCoverage(all);
    expect(held).toMatchObject({ documented: RULES.length, checked: held.checkable, held: held.checkable, broken: 0, notRun: 0 });
    const [first] = RULES.filter(isChecked);
    const failed = ruleCoverage(all.map((o) => (o.fullName === first.checkedBy![0] ? { ...o, state: 'failed' } : o)));
    expect(failed.rules.find((r) => r.id === first.id)?.state).toBe('broken');
    expect(ruleCoverageLines(failed).join('\n')).toContain(`broken: ${first.id}`);
    const skipped = ruleCoverage(all.map((o) => (o.fullName.includes('[fake-only]') ? { ...o, state: 'skipped' } : o)));
    expect(skipped.notRun).toBeGreaterThan(0);
    expect(ruleCoverageLines(skipped)[0]).toMatch(/^Documented rules: \d+\/\d+ checked in this run/);
  });
});
