// The parity report as Markdown, for a pull request or an issue: the verdict, one table of differences per
// scenario (class, known or not, and why), the fake's own problems, stale known entries.
import { CLASS_LABEL } from './types.ts';
import { classLabel, type ParityReport } from './report.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').replace(/</g, '&lt;');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function markdownReport(r: ParityReport): string {
  const out: string[] = [
    `# Fake vs ${r.mode === 'recording' ? 'recording' : 'target'}: ${r.ok ? 'parity' : 'no parity'}`,
    '',
    `**${cell(r.summary)}**`,
    '',
    `- Target: ${code(r.target)}${r.mode === 'recording' ? ' (compared offline)' : ''}`,
    `- Run: ${r.started} to ${r.finished}, ${r.totals.scenarios} scenarios, ${r.totals.steps} steps`,
    `- Known differences: ${code(r.knownFile)}`,
    ...Object.entries(r.totals.byClass).filter(([, n]) => n > 0).map(([c, n]) => `- ${CLASS_LABEL[c as keyof typeof CLASS_LABEL]}: ${n}`),
    '',
  ];
  for (const s of r.scenarios) {
    out.push(`## ${s.title} (\`${s.name}\`)`, '', `Covers: ${cell(s.covers)}.`, '');
    for (const [side, why] of Object.entries(s.stopped)) out.push(`> Stopped on the ${side} ${cell(why)}`, '');
    if (!s.differences.length) {
      out.push(`No differences in ${s.steps.length} steps.`, '');
      continue;
    }
    out.push('| Step | Where | What | Fake | Target | Class | Why |', '|---|---|---|---|---|---|---|');
    for (const d of s.differences) {
      const why = d.known ? `known (verified ${d.known.verified}): ${d.known.reason}` : d.because;
      out.push(`| ${cell(d.step)} | ${code(d.path)} | ${d.kind} | ${code(d.fake)} | ${code(d.target)} | ${cell(classLabel(d))} | ${cell(why)} |`);
    }
    out.push('');
  }
  if (r.fakeProblems.length) {
    out.push('## Problems of the fake', '', '| Scenario | Step | Where | Problem |', '|---|---|---|---|');
    for (const p of r.fakeProblems) out.push(`| ${p.scenario} | ${cell(p.step)} | ${code(p.path)} | ${cell(p.problem)} |`);
    out.push('');
  }
  if (r.noLongerSeen.length) {
    out.push('## Known differences no longer seen', '');
    for (const e of r.noLongerSeen) out.push(`- ${e.scenario} / ${cell(e.step)} / ${code(e.path)}: ${cell(e.reason)}`);
    out.push('');
  }
  if (r.problems.length) out.push('## Run problems', '', ...r.problems.map((p) => `- ${cell(p.split('\n')[0])}`), '');
  if (r.notCleanedUp.length) out.push('## Not cleaned up', '', ...r.notCleanedUp.map((l) => `- ${cell(l)}`), '');
  return out.join('\n');
}
