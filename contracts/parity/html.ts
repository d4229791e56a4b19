// The parity report as one self-contained HTML page (no script, no outside resource): per scenario the
// table of differences, and for every step that differs the two answers side by side, the fake's on the
// left and the target's on the right, with the lines of each difference marked. The template ships as a
// file (package.json "files") and is found from the package root, compiled or not.
import { readFileSync } from 'node:fs';
import { assetPath } from '../../src/spec/assets.ts';
import { child, within } from './json-path.ts';
import { classLabel, type ParityReport, type ScenarioReport } from './report.ts';
import type { Difference, RecordedExchange } from './types.ts';

const TEMPLATE = assetPath('contracts/parity/report.html');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Marks { status: boolean; headers: Set<string>; paths: string[] }

function marksFor(differences: Difference[], side: 'fake' | 'target'): Marks {
  const m: Marks = { status: false, headers: new Set(), paths: [] };
  for (const d of differences) {
    if (d.kind === 'status' || d.kind === 'step') m.status = true;
    else if (d.path.startsWith('header.')) m.headers.add(d.path.slice(7));
    else if (d.path.startsWith('$')) m.paths.push(d.kind === 'renamed' && side === 'target' ? d.path.replace(/[^.[]+$/, d.target) : d.path);
  }
  return m;
}

/** Pretty-printed JSON, one span per line; a line is marked when its path lies inside a marked path. */
function jsonLines(value: unknown, marks: string[]): string[] {
  const lines: string[] = [];
  const marked = (path: string) => marks.some((m) => within(path, m));
  const walk = (v: unknown, path: string, indent: string, prefix: string, comma: string) => {
    const mark = marked(path);
    const line = (text: string, on = mark) => lines.push(`<span class="line${on ? ' diff' : ''}">${text}</span>`);
    if (v && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (!entries.length) return line(`${indent}${prefix}${open}${close}${comma}`);
      line(`${indent}${prefix}${open}`);
      entries.forEach(([k, x], i) => walk(x, child(path, k), `${indent}  `, Array.isArray(v) ? '' : `${esc(JSON.stringify(k))}: `, i < entries.length - 1 ? ',' : ''));
      return line(`${indent}${close}${comma}`);
    }
    line(`${indent}${prefix}${esc(JSON.stringify(v) ?? 'undefined')}${comma}`);
  };
  walk(value, '$', '', '', '');
  return lines;
}

function answer(ex: RecordedExchange | undefined, differences: Difference[], side: 'fake' | 'target'): string {
  if (!ex) return `<pre class="answer"><span class="line diff">(this step did not run on the ${side})</span></pre>`;
  const m = marksFor(differences, side);
  const lines = [
    `<span class="line muted">${esc(`${ex.request.method} ${ex.request.path}${ex.request.query ? `?${new URLSearchParams(ex.request.query).toString()}` : ''}`)}</span>`,
    ...(ex.request.auth ? [`<span class="line muted">Authorization: ${esc(ex.request.auth)}</span>`] : []),
    `<span class="line${m.status ? ' diff' : ''}">HTTP ${ex.response.status}</span>`,
  ];
  const names = new Set([...Object.keys(ex.response.headers), ...m.headers]);
  for (const name of [...names].sort()) {
    const value = ex.response.headers[name];
    lines.push(`<span class="line${m.headers.has(name) ? ' diff' : ''}">${esc(name)}: ${value === undefined ? '<span class="muted">(absent)</span>' : esc(value)}</span>`);
  }
  lines.push('<span class="line"> </span>');
  if (ex.response.body === undefined) lines.push('<span class="line muted">(no body)</span>');
  else lines.push(...jsonLines(ex.response.body, m.paths));
  return `<pre class="answer">${lines.join('')}</pre>`;
}

function scenarioSection(s: ScenarioReport): string {
  const out = [`<section class="scenario" id="scenario-${esc(s.name)}">`, `<h2>${esc(s.title)} <span class="tag">${esc(s.name)}</span></h2>`, `<p class="covers">${esc(s.covers)}</p>`];
  for (const [side, why] of Object.entries(s.stopped)) out.push(`<p><strong>Stopped on the ${side}</strong> ${esc(why)}</p>`);
  if (!s.differences.length) {
    out.push(`<p>No differences in ${s.steps.length} steps.</p></section>`);
    return out.join('\n');
  }
  out.push('<table class="differences"><thead><tr><th>Step</th><th>Where</th><th>What</th><th>Fake</th><th>Target</th><th>Class</th><th>Why</th></tr></thead><tbody>');
  for (const d of s.differences) {
    out.push(`<tr class="${d.known ? 'known' : 'unknown'}"><td>${esc(d.step)}</td><td><code>${esc(d.path)}</code></td><td>${esc(d.kind)}</td><td><code>${esc(d.fake)}</code></td><td><code>${esc(d.target)}</code></td><td class="class-${d.class}">${esc(classLabel(d))}</td><td>${esc(d.known ? `known, verified ${d.known.verified}: ${d.known.reason}` : d.because)}${d.note ? ` <span class="tag">${esc(d.note)}</span>` : ''}</td></tr>`);
  }
  out.push('</tbody></table>');
  for (const [step, pair] of Object.entries(s.exchanges)) {
    const diffs = s.differences.filter((d) => d.step === step);
    out.push(`<article class="exchange"><h3>${esc(step)} <span class="tag">${esc(diffs[0]?.operationId ?? '')}</span> <span class="tag">${diffs.length} difference(s)</span></h3>`);
    out.push(`<div class="side-by-side"><div class="pane fake"><h4>fake</h4>${answer(pair.fake, diffs, 'fake')}</div><div class="pane target"><h4>target</h4>${answer(pair.target, diffs, 'target')}</div></div></article>`);
  }
  out.push('</section>');
  return out.join('\n');
}

export function htmlReport(r: ParityReport): string {
  const nav = `<nav><ul>${r.scenarios.map((s) => `<li><a class="${s.differences.length ? 'differs' : ''}" href="#scenario-${esc(s.name)}">${esc(s.name)} (${s.differences.length})</a></li>`).join('')}</ul></nav>`;
  const extra: string[] = [];
  const list = (title: string, items: string[]) => (items.length ? extra.push(`<section class="scenario"><h2>${esc(title)}</h2><ul class="problems">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul></section>`) : 0);
  list('Problems of the fake (bugs of ours)', r.fakeProblems.map((p) => `${p.scenario} / ${p.step} / ${p.path}: ${p.problem}`));
  list('Known differences no longer seen', r.noLongerSeen.map((e) => `${e.scenario} / ${e.step} / ${e.path}: ${e.reason}`));
  list('Run problems', r.problems.map((p) => p.split('\n')[0]));
  list('Not cleaned up', r.notCleanedUp);
  const values: Record<string, string> = {
    title: esc(`Fluxra parity: ${r.summary}`),
    against: esc(r.mode === 'recording' ? `a recording of ${r.target}` : r.target),
    verdictClass: r.ok ? 'ok' : 'bad',
    verdict: r.ok ? 'parity' : 'no parity',
    summary: esc(r.summary),
    content: [nav, ...r.scenarios.map(scenarioSection), ...extra].join('\n'),
    footer: esc(`${r.tool} ${r.version}, ${r.started} to ${r.finished}; known differences: ${r.knownFile}`),
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}
