// Extra blocks of the report, after the spec coverage: each hook gets the finished run and returns a JSON
// key with its value and console lines (or nothing). The place for the documented-rule coverage.
import type { SectionHook } from './report.ts';

export function reportSections(): SectionHook[] {
  return [];
}
