import type { CompareMode, FromReportMessage, SimulationReport, ToReportMessage } from '../../../server/src/protocol/simulationPage';
import { formatBytes, formatShare } from '../../../server/src/protocol/wording';
import { el } from '../logViewer/dom';
import './style.css';

// The report of a policy over sample logs. Everything from the report is written as text (user
// names, agents and resources come from the log, which is untrusted); bars are sized through CSSOM.

interface VsCodeApi {
  postMessage(message: FromReportMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const count = (n: number) => n.toLocaleString('en-US');

/** "1.2 GB/day"; without a time span, the total when given, else n/a. */
function perDay(bytes: number | null, total?: number, lowerBound = false): string {
  if (bytes === null) return total === undefined ? 'n/a' : formatBytes(total);
  return `${lowerBound ? '≥ ' : ''}${formatBytes(bytes)}/day`;
}

function ruleLink(rule: number | null, line: number | null): HTMLElement {
  if (rule === null || line === null) return el('span', {}, 'no rule (not logged)');
  const button = el('button', { class: 'link', type: 'button', title: `Go to line ${line + 1} of the policy` }, `rule ${rule + 1} (line ${line + 1})`);
  button.addEventListener('click', () => vscode.postMessage({ type: 'openRule', line }));
  return button;
}

function bar(fraction: number, level: string): HTMLElement {
  const fill = el('div', { class: `bar-fill level-${level.toLowerCase() || 'none'}` });
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return el('div', { class: 'bar', role: 'presentation' }, fill);
}

function section(title: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', {}, el('h2', {}, title), ...children);
}

function toolbar(report: SimulationReport | null, compare: CompareMode): HTMLElement {
  const select = el('select', { 'aria-label': 'Compare with' });
  for (const [value, label] of [['none', 'Compare with: nothing'], ['saved', 'Compare with: the saved file'], ['head', 'Compare with: git HEAD']] as const) {
    const option = el('option', { value }, label);
    if (value === compare) option.selected = true;
    select.append(option);
  }
  select.addEventListener('change', () => vscode.postMessage({ type: 'setCompare', mode: select.value as CompareMode }));
  const refresh = el('button', { type: 'button' }, 'Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const title = report ? `${report.policy} over ${report.logs.map((l) => l.split(/[\\/]/).pop()).join(', ')}` : 'Simulation';
  return el('div', { class: 'toolbar' }, el('span', { class: 'title' }, title), el('span', { class: 'spacer' }), select, refresh);
}

function summary(report: SimulationReport): HTMLElement {
  const t = report.totals;
  const rows = Math.max(1, t.requests);
  const span = report.window.from && report.window.to ? `${report.window.from.replace('T', ' ').slice(0, 19)} to ${report.window.to.replace('T', ' ').slice(0, 19)} UTC` : 'no timestamps';
  const card = (value: string, label: string) => el('div', { class: 'card' }, el('div', { class: 'card-value' }, value), el('div', { class: 'card-label' }, label));
  return el(
    'div',
    { class: 'cards' },
    card(perDay(t.bytesPerDay, t.bytes, t.lowerBound), 'would be written'),
    card(count(t.requests), `requests in the sample (${span})`),
    card(formatShare(t.loggedRequests / rows), 'of requests logged'),
    card(formatShare(report.unmatched.requests / rows), 'match no rule (not logged)'),
    card(String(report.exposures.reduce((sum, e) => sum + e.requests, 0)), 'requests logged with secret values'),
  );
}

function byLevel(report: SimulationReport): HTMLElement {
  const levels = ['Metadata', 'Request', 'RequestResponse'];
  const max = Math.max(1, ...levels.map((l) => report.totals.byLevel[l]?.bytes ?? 0));
  const table = el('div', { class: 'bars levels' });
  for (const level of levels) {
    const stats = report.totals.byLevel[level]!;
    table.append(
      el('span', { class: `badge level-${level.toLowerCase()}` }, level),
      bar(stats.bytes / max, level),
      el('span', { class: 'num' }, perDay(stats.bytesPerDay, stats.bytes)),
      el('span', { class: 'num dim' }, `${count(stats.requests)} requests`),
    );
  }
  const none = report.totals.byLevel.None!;
  table.append(el('span', { class: 'badge level-none' }, 'None'), bar(0, 'None'), el('span', { class: 'num' }, 'not logged'), el('span', { class: 'num dim' }, `${count(none.requests)} requests`));
  return section('Bytes per day by level', table);
}

function byRule(report: SimulationReport): HTMLElement {
  const max = Math.max(1, ...report.rules.map((r) => r.bytes));
  const table = el('div', { class: 'bars rules' });
  table.append(el('span', { class: 'head' }, 'rule'), el('span', { class: 'head' }, 'level'), el('span', { class: 'head' }, 'bytes per day'), el('span', { class: 'head num' }, ''), el('span', { class: 'head num' }, 'requests'), el('span', { class: 'head top' }, 'top user · verb · resource'));
  for (const rule of report.rules) {
    const top = rule.top && rule.requests > 0 ? [rule.top.users[0]?.value, rule.top.verbs[0]?.value, rule.top.resources[0]?.value].filter(Boolean).join(' · ') : '';
    table.append(
      ruleLink(rule.index, rule.line),
      el('span', { class: `badge level-${rule.level.toLowerCase() || 'none'}` }, rule.level || 'no level'),
      ...(rule.dead
        ? [el('span', { class: 'dead' }, 'dead: matches no request')]
        : [bar(rule.bytes / max, rule.level), el('span', { class: 'num' }, rule.level === 'None' ? 'not logged' : perDay(rule.bytesPerDay, rule.bytes, rule.unknownBodyRequests > 0))]),
      el('span', { class: 'num' }, `${count(rule.requests)} (${formatShare(rule.requestShare)})`),
      el('span', { class: 'top', title: top }, top),
    );
  }
  return section('Bytes per day by rule', table);
}

function exposures(report: SimulationReport): HTMLElement {
  if (report.exposures.length === 0) return section('Exposures', el('p', { class: 'ok' }, 'None: no Secret, ConfigMap or token request of the sample is logged with the body that holds its value.'));
  const list = el('ul', { class: 'exposures' });
  for (const e of report.exposures) list.append(el('li', {}, ruleLink(e.rule, e.line), ` logs ${e.verb} ${e.resource} with its secret-bearing body: ${count(e.requests)} request(s)`));
  return section('Exposures', el('p', {}, 'Sensitive requests this policy writes with the bodies that hold their values (lower those rules to Metadata):'), list);
}

function secretValues(report: SimulationReport): HTMLElement | null {
  if (report.secretValues.length === 0) return null;
  const list = el('ul', {});
  for (const s of report.secretValues) list.append(el('li', {}, `${s.verb} ${s.resource}, ${count(s.requests)} request(s): decided by `, ruleLink(s.rule, s.line), s.stillLogged ? ', still logged with the values' : ', no longer logged with bodies'));
  return section('Secret values already in this log', list);
}

function comparison(report: SimulationReport, compare: CompareMode, compareError: string | undefined): HTMLElement | null {
  if (compare === 'none') return null;
  if (compareError) return section('Comparison', el('p', { class: 'warning' }, `Cannot compare: ${compareError}`));
  const c = report.compare;
  if (!c) return section('Comparison', el('p', { class: 'warning' }, 'The other version is not a policy with rules.'));
  const sign = (n: number) => (n > 0 ? `+${count(n)}` : count(n));
  const signedPerDay = (n: number | null) => (n === null ? 'n/a' : `${n > 0 ? '+' : n < 0 ? '−' : ''}${formatBytes(Math.abs(n))}/day`);
  const rows = el('ul', {});
  for (const r of c.rules) {
    if (r.otherIndex === null) rows.append(el('li', {}, ruleLink(r.index, r.line), ` is new: ${sign(r.events)} events, ${signedPerDay(r.bytesPerDay)}`));
    else if (r.edited || r.events !== 0 || (r.bytesPerDay ?? 0) !== 0) rows.append(el('li', {}, ruleLink(r.index, r.line), ` (${r.edited ? 'edited; ' : ''}rule ${r.otherIndex + 1} there): ${sign(r.events)} events, ${signedPerDay(r.bytesPerDay)}`));
  }
  for (const r of c.removed) rows.append(el('li', {}, `rule ${r.otherIndex + 1} of ${c.policy} is gone: it wrote ${count(r.events)} events, ${perDay(r.bytesPerDay)}`));
  const levels = el('div', { class: 'grid changes' }, el('span', { class: 'head' }, 'request kind'), el('span', { class: 'head' }, 'level'), el('span', { class: 'head num' }, 'requests'), el('span', { class: 'head num' }, 'per day'));
  for (const change of c.levelChanges.slice(0, 50)) {
    levels.append(el('span', {}, `${change.verb} ${change.resource}${change.apiGroup ? ` (${change.apiGroup})` : ''}`), el('span', {}, `${change.from} → ${change.to}`), el('span', { class: 'num' }, count(change.requests)), el('span', { class: 'num' }, signedPerDay(change.bytesPerDay)));
  }
  return section(
    `Compared with ${c.policy}`,
    el('p', {}, `Events ${sign(c.events.change)} (${count(c.events.from)} → ${count(c.events.to)}), ${signedPerDay(c.bytesPerDay.change)} (${perDay(c.bytesPerDay.from)} → ${perDay(c.bytesPerDay.to)}).`),
    ...(report.unknown.requests > 0 ? [el('p', { class: 'dim' }, 'Bodies this log does not show are not counted on either side, so a change of body level on such requests shows no bytes.')] : []),
    rows.childElementCount > 0 ? rows : el('p', { class: 'dim' }, 'No rule writes a different amount.'),
    c.levelChanges.length > 0 ? levels : el('p', { class: 'dim' }, 'No request changes level.'),
  );
}

function notes(report: SimulationReport): HTMLElement {
  const list = el('ul', {});
  for (const note of report.unknown.notes) list.append(el('li', {}, note));
  const read = report.read;
  if (read && (read.skippedCount > 0 || read.errors.length > 0)) {
    for (const e of read.errors) list.append(el('li', { class: 'warning' }, `Could not read ${e.file}: ${e.message}`));
    if (read.skippedCount > 0) list.append(el('li', { class: 'warning' }, `${count(read.skippedCount)} damaged or unknown record(s) skipped, first at ${read.skipped.slice(0, 3).map((s) => `${s.file.split(/[\\/]/).pop()}:${s.line}`).join(', ')}.`));
  }
  return section('Cannot be judged from this sample', list);
}

function render(report: SimulationReport, compare: CompareMode, compareError?: string): void {
  const parts: (HTMLElement | null)[] = [toolbar(report, compare)];
  if (report.policyErrors.length > 0) {
    parts.push(el('div', { class: 'banner warning', role: 'alert' }, `kube-apiserver would refuse to start with this policy (${report.policyErrors.length} error(s), first at line ${report.policyErrors[0]!.line + 1}: ${report.policyErrors[0]!.message}). The numbers show what it would log if it loaded the file as written.`));
  }
  parts.push(summary(report), el('div', { class: 'columns' }, byRule(report), el('div', { class: 'side' }, byLevel(report), exposures(report), ...[secretValues(report)].filter((p): p is HTMLElement => p !== null))), comparison(report, compare, compareError), notes(report));
  app.replaceChildren(el('main', { class: 'report' }, ...parts.filter((p): p is HTMLElement => p !== null)));
  app.dataset.state = 'report';
}

window.addEventListener('message', (event: MessageEvent<ToReportMessage>) => {
  const message = event.data;
  if (message.type === 'loading') {
    app.dataset.state = 'loading';
    if (!app.querySelector('.report')) app.replaceChildren(toolbar(null, 'none'), el('p', { class: 'dim pad' }, `Simulating ${message.policy}…`));
  } else if (message.type === 'error') {
    app.replaceChildren(toolbar(null, 'none'), el('p', { class: 'banner warning', role: 'alert' }, message.message));
    app.dataset.state = 'error';
  } else render(message.report, message.compare, message.compareError);
});
vscode.postMessage({ type: 'ready' });
