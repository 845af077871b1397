import type { CompareReport, RuleReport, SimulationReport } from './report';
import { formatBytes, formatShare } from '../protocol/wording';

// The report for people: plain text (terminal) or Markdown (a CI job summary, a PR comment).
// Log values (user names, agents, URLs) are untrusted: control characters are escaped, and in
// Markdown table cells pipes and backticks cannot end the cell or the code span.

const count = (n: number) => n.toLocaleString('en-US');
const perDay = (bytes: number | null) => (bytes === null ? 'n/a' : `${formatBytes(bytes)}/day`);
const signed = (n: number) => `${n > 0 ? '+' : ''}${count(n)}`;
const signedPerDay = (bytes: number | null) => (bytes === null ? 'n/a' : `${bytes > 0 ? '+' : bytes < 0 ? '-' : ''}${formatBytes(Math.abs(bytes))}/day`);

function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function span(report: SimulationReport): string {
  const { from, to, seconds } = report.window;
  if (!from || !to) return 'no timestamps';
  const hours = seconds / 3600;
  const length = hours >= 48 ? `${(hours / 24).toFixed(1)} days` : hours >= 1 ? `${hours.toFixed(1)} h` : `${Math.round(seconds / 60)} min`;
  return `${from} to ${to} (${length})`;
}

function ruleName(rule: number | null, line: number | null): string {
  return rule === null ? 'no rule (not logged)' : `rule ${rule + 1} (line ${(line ?? 0) + 1})`;
}

function topOf(rule: RuleReport): string {
  if (!rule.top || rule.requests === 0) return '';
  const parts = [rule.top.users[0]?.value, rule.top.verbs[0]?.value, rule.top.resources[0]?.value].filter((v): v is string => v !== undefined);
  return parts.map(clean).join(' ');
}

function headline(report: SimulationReport): string[] {
  const t = report.totals;
  const levels = Object.entries(t.byLevel)
    .filter(([, v]) => v.requests > 0)
    .map(([level, v]) => `${level} ${count(v.requests)}${level === 'None' ? '' : ` (${perDay(v.bytesPerDay)})`}`)
    .join(', ');
  return [
    `${report.policy} over ${report.logs.join(', ')}: ${count(t.requests)} requests, ${span(report)}.`,
    `Would write ${count(t.events)} events, ${formatBytes(t.bytes)}${t.lowerBound ? ' or more' : ''} (${perDay(t.bytesPerDay)}${t.lowerBound ? ' at least' : ''}); ${count(t.loggedRequests)} of ${count(t.requests)} requests logged.`,
    `By level: ${levels || 'nothing'}.`,
  ];
}

export function renderText(report: SimulationReport): string {
  const lines: string[] = [];
  if (report.policyErrors.length > 0) {
    lines.push(`WARNING: kube-apiserver would refuse to start with ${report.policy} (${report.policyErrors.length} error(s), first: line ${report.policyErrors[0]!.line + 1}: ${report.policyErrors[0]!.message}).`);
    lines.push('The numbers below show what it would log if it loaded the file as written. Run "k8s-audit lint" for all errors.', '');
  }
  lines.push(...headline(report), ...readProblems(report), '');
  const rows = [['RULE', 'LINE', 'LEVEL', 'REQUESTS', 'REQ%', 'EVENTS', 'BYTES/DAY', 'BYTES%', 'TOP (user verb resource)']];
  for (const rule of report.rules) {
    rows.push([
      String(rule.index + 1),
      String(rule.line + 1),
      rule.level || '(none)',
      count(rule.requests),
      formatShare(rule.requestShare),
      count(rule.events),
      rule.dead ? 'dead' : perDay(rule.bytesPerDay) + (rule.unknownBodyRequests > 0 ? '+' : ''),
      formatShare(rule.share),
      topOf(rule),
    ]);
  }
  rows.push(['-', '', 'unmatched', count(report.unmatched.requests), formatShare(report.totals.requests ? report.unmatched.requests / report.totals.requests : 0), '0', 'not logged', '', '']);
  lines.push(...alignColumns(rows), '');
  const dead = report.rules.filter((r) => r.dead);
  if (dead.length > 0) lines.push(`Dead rules (match nothing in this log): ${dead.map((r) => ruleName(r.index, r.line)).join(', ')}.`);
  if (report.exposures.length > 0) {
    lines.push('Exposures: sensitive requests this policy logs with the bodies that hold the secret:');
    for (const e of report.exposures) lines.push(`  ${ruleName(e.rule, e.line)}: ${e.verb} ${clean(e.resource)}, ${count(e.requests)} request(s)`);
  } else lines.push('Exposures: none (no secret, configmap or token request is logged with the body that holds its value).');
  if (report.secretValues.length > 0) {
    lines.push('Secret values already in this log, and the rule that decides those requests now:');
    for (const s of report.secretValues) lines.push(`  ${s.verb} ${clean(s.resource)}, ${count(s.requests)} request(s): ${ruleName(s.rule, s.line)}, ${s.stillLogged ? 'STILL LOGGED with the values' : 'no longer logged with bodies'}`);
  }
  if (report.compare) lines.push('', ...compareText(report.compare));
  lines.push('', 'Cannot be judged from this sample:', ...report.unknown.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

/** Files that could not be read and records skipped, with their lines: what the numbers leave out. */
function readProblems(report: SimulationReport): string[] {
  const read = report.read;
  if (!read) return [];
  const lines = read.errors.map((e) => `Could not read ${clean(e.file)}: ${clean(e.message)} (left out).`);
  if (read.skippedCount > 0) {
    lines.push(`Skipped ${count(read.skippedCount)} damaged or unknown record(s), left out of the numbers:`);
    for (const s of read.skipped.slice(0, 10)) lines.push(`  ${clean(s.file)}:${s.line}: ${clean(s.reason)}`);
    if (read.skippedCount > 10) lines.push(`  ... and ${count(read.skippedCount - Math.min(10, read.skipped.length))} more (--format json lists up to 1000 per file)`);
  }
  return lines;
}

function compareText(compare: CompareReport): string[] {
  const lines = [
    `Compared with ${compare.policy}: events ${signed(compare.events.change)} (${count(compare.events.from)} -> ${count(compare.events.to)}), ${signedPerDay(compare.bytesPerDay.change)} (${perDay(compare.bytesPerDay.from)} -> ${perDay(compare.bytesPerDay.to)}).`,
  ];
  for (const r of compare.rules) {
    if (r.otherIndex === null) lines.push(`  rule ${r.index + 1} (line ${r.line + 1}) is new: ${signed(r.events)} events, ${signedPerDay(r.bytesPerDay)}`);
    else if (r.edited || r.events !== 0 || (r.bytesPerDay ?? 0) !== 0) lines.push(`  rule ${r.index + 1} (line ${r.line + 1}), ${r.edited ? 'edited, ' : ''}rule ${r.otherIndex + 1} there: ${signed(r.events)} events, ${signedPerDay(r.bytesPerDay)}`);
  }
  for (const r of compare.removed) lines.push(`  rule ${r.otherIndex + 1} (line ${r.otherLine + 1}) of ${compare.policy} is gone: it wrote ${count(r.events)} events, ${perDay(r.bytesPerDay)}`);
  if (compare.levelChanges.length > 0) {
    lines.push('  Level changes:');
    for (const c of compare.levelChanges.slice(0, 20)) lines.push(`    ${c.verb} ${clean(c.resource)}${c.apiGroup ? ` (${clean(c.apiGroup)})` : ''}: ${c.from} -> ${c.to}, ${count(c.requests)} request(s), ${signedPerDay(c.bytesPerDay)}`);
    if (compare.levelChanges.length > 20) lines.push(`    ... and ${compare.levelChanges.length - 20} more`);
  }
  return lines;
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function cell(text: string): string {
  return clean(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}

export function renderMarkdown(report: SimulationReport): string {
  const lines: string[] = [`## Audit policy simulation: ${cell(report.policy)}`, ''];
  if (report.policyErrors.length > 0) {
    lines.push(`> **kube-apiserver would refuse to start with this policy** (${report.policyErrors.length} error(s); first: line ${report.policyErrors[0]!.line + 1}: ${cell(report.policyErrors[0]!.message)}). The numbers show what it would log if it loaded the file as written.`, '');
  }
  lines.push(...headline(report).map(cell), ...readProblems(report).map((l) => `> ${cell(l.trim())}`), '');
  lines.push('| rule | line | level | requests | events | bytes/day | share of bytes | top user / verb / resource |', '|---:|---:|---|---:|---:|---:|---:|---|');
  for (const rule of report.rules) {
    lines.push(
      `| ${rule.index + 1} | ${rule.line + 1} | ${rule.level || '(none)'} | ${count(rule.requests)} (${formatShare(rule.requestShare)}) | ${count(rule.events)} | ${rule.dead ? '**dead**' : perDay(rule.bytesPerDay)} | ${formatShare(rule.share)} | ${cell(topOf(rule))} |`,
    );
  }
  lines.push(`| – | | unmatched | ${count(report.unmatched.requests)} | 0 | not logged | | |`, '');
  if (report.exposures.length > 0) {
    lines.push('### Exposures', '', '| rule | line | verb | resource | requests |', '|---:|---:|---|---|---:|');
    for (const e of report.exposures) lines.push(`| ${e.rule + 1} | ${e.line + 1} | ${cell(e.verb)} | ${cell(e.resource)} | ${count(e.requests)} |`);
    lines.push('');
  }
  if (report.compare) lines.push('### Compared with ' + cell(report.compare.policy), '', ...compareText(report.compare).slice(1).map((l) => `- ${cell(l.trim())}`), '', cell(compareText(report.compare)[0]!), '');
  lines.push('### Cannot be judged from this sample', '', ...report.unknown.notes.map((n) => `- ${cell(n)}`));
  return `${lines.join('\n')}\n`;
}
