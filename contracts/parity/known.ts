// Known differences: a checked-in YAML list (scenario, step, JSON path, reason, date verified) of
// differences the team has looked at. A matching difference is reported as known, with its reason, never
// hidden; an unknown one fails the run; an entry that matches nothing is reported as no longer seen.
// `scenario` and `step` may be `*`, and `[*]` in a path matches any index. `--update-known` rewrites the
// list from the current differences, keeping the reason and date of those already there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDocument, YAMLSeq } from 'yaml';
import type { Difference, DifferenceKind } from './types.ts';

export interface KnownEntry {
  scenario: string;
  step: string;
  path: string;
  kind?: DifferenceKind;
  reason: string;
  verified: string;
}

export class KnownFileError extends Error {}

const HEADER = `Known differences between the Fluxra fake and a deployment, found by \`fluxra-contract parity\`.
Each entry: scenario, step, path (a JSON path into the answer, or status / header.<name> / step),
optionally kind, the reason (what the target does and why it is accepted, or the issue that tracks it),
and verified (the date someone last saw it on the target). scenario and step may be *; [*] matches any
index. A known difference is still reported, as known; one that no longer occurs is listed so its entry
can go. \`fluxra-contract parity --update-known\` rewrites this file from a run: review every reason.`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function loadKnown(file: string): KnownEntry[] {
  if (!existsSync(file)) return [];
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length) throw new KnownFileError(`${file}: ${doc.errors[0].message}`);
  const data = doc.toJS() as { differences?: unknown } | null;
  const list = data?.differences ?? [];
  if (!Array.isArray(list)) throw new KnownFileError(`${file}: "differences" must be a list`);
  return list.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    for (const field of ['scenario', 'step', 'path', 'reason', 'verified']) {
      if (typeof e?.[field] !== 'string' || !(e[field] as string).trim()) throw new KnownFileError(`${file}: entry ${i + 1} needs a non-empty "${field}"`);
    }
    if (!DATE.test(e.verified as string)) throw new KnownFileError(`${file}: entry ${i + 1}: "verified" must be a date (YYYY-MM-DD), got "${String(e.verified)}"`);
    return { scenario: e.scenario, step: e.step, path: e.path, ...(typeof e.kind === 'string' ? { kind: e.kind as DifferenceKind } : {}), reason: e.reason, verified: e.verified } as KnownEntry;
  });
}

const pathMatches = (pattern: string, path: string) =>
  pattern === path || new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\[\\\*\\\]/g, '\\[\\d+\\]')}$`).test(path);

export function matches(entry: KnownEntry, d: Difference): boolean {
  return (entry.scenario === '*' || entry.scenario === d.scenario)
    && (entry.step === '*' || entry.step === d.step)
    && pathMatches(entry.path, d.path)
    && (!entry.kind || entry.kind === d.kind);
}

/** Marks the known differences; returns the entries that matched nothing. */
export function applyKnown(entries: KnownEntry[], differences: Difference[]): KnownEntry[] {
  const used = new Set<KnownEntry>();
  for (const d of differences) {
    const entry = entries.find((e) => matches(e, d));
    if (entry) {
      d.known = { reason: entry.reason, verified: entry.verified };
      used.add(entry);
    }
  }
  return entries.filter((e) => !used.has(e));
}

/** The file for the current differences: entries that matched keep theirs, new ones get a reason to fill in. */
export function writeKnown(file: string, entries: KnownEntry[], differences: Difference[], today: string, redact: (text: string) => string = (t) => t): { added: number; kept: number } {
  const kept = entries.filter((e) => differences.some((d) => matches(e, d)));
  const added: KnownEntry[] = [];
  for (const d of differences) {
    if (kept.some((e) => matches(e, d)) || added.some((e) => matches(e, d))) continue;
    added.push({ scenario: d.scenario, step: d.step, path: d.path, kind: d.kind, reason: `TODO: explain (${d.class}; fake ${d.fake}, target ${d.target})`, verified: today });
  }
  const doc = parseDocument('differences: []\n');
  doc.commentBefore = HEADER.split('\n').map((l) => ` ${l}`).join('\n');
  const seq = new YAMLSeq();
  for (const e of [...kept, ...added]) seq.items.push(doc.createNode(e));
  doc.set('differences', seq);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, redact(doc.toString({ lineWidth: 0 })));
  return { added: added.length, kept: kept.length };
}
