import type { ComplianceReportResult, ControlResult, ControlStatus, Evidence, LogEvidence } from '../../../server/src/protocol/compliance';
import type { FromReportWebview, ToReportWebview } from '../../../server/src/protocol/compliancePage';
import { el } from '../logViewer/dom';
import './style.css';

// The compliance report page. Everything shown comes from the report by message and is written with
// textContent (through el): evidence quotes files and logs, which may hold anything.

interface VsCodeApi {
  postMessage(message: FromReportWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const post = (message: FromReportWebview) => vscode.postMessage(message);

const STATUS_TEXT: Record<ControlStatus, string> = { pass: 'Pass', fail: 'Fail', partial: 'Partial', manual: 'Manual' };
const app = document.getElementById('app')!;
let folders: string[] = [];
let filter: ControlStatus | 'all' = 'all';
let latest: ComplianceReportResult | undefined;

window.addEventListener('message', (event: MessageEvent<ToReportWebview>) => {
  const message = event.data;
  if (message.type === 'busy') showNotice(message.text, 'busy');
  else if (message.type === 'error') showNotice(`The report could not be built: ${message.message}`, 'error');
  else {
    folders = message.folders;
    latest = message.result;
    render(message.result);
  }
});
post({ type: 'ready' });

function showNotice(text: string, kind: 'busy' | 'error'): void {
  const notice = el('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  if (!latest) app.replaceChildren(notice);
  else document.getElementById('notice')?.replaceChildren(notice);
}

/** A path relative to the workspace folder that holds it, for reading; the full path stays in the title. */
function shortPath(file: string): string {
  for (const folder of folders) if (file.startsWith(`${folder}/`)) return file.slice(folder.length + 1);
  return file;
}

function render(result: ComplianceReportResult): void {
  const { report } = result;
  const toolbar = el(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Report actions' },
    button('Refresh', () => post({ type: 'refresh' })),
    button('Add audit logs…', () => post({ type: 'addLogs' })),
    button('Export Markdown', () => post({ type: 'export', format: 'markdown' })),
    button('Export HTML', () => post({ type: 'export', format: 'html' })),
  );
  const summary = el('div', { class: 'summary', id: 'summary' });
  for (const status of ['fail', 'partial', 'pass', 'manual'] as ControlStatus[]) {
    const chip = button(`${report.summary[status]} ${STATUS_TEXT[status].toLowerCase()}`, () => {
      filter = filter === status ? 'all' : status;
      render(result);
    });
    chip.className = `chip ${status}`;
    chip.setAttribute('aria-pressed', String(filter === status));
    chip.title = filter === status ? 'Show every control' : `Show only the controls that ${status === 'pass' ? 'pass' : status === 'fail' ? 'fail' : `are ${status}`}`;
    summary.append(chip);
  }
  const inputs = el(
    'p',
    { class: 'inputs' },
    `Policy: ${report.inputs.policy ? shortPath(report.inputs.policy) : 'none found'} · Setup files: ${report.inputs.manifests.map(shortPath).join(', ') || 'none found'} · Logs: ${report.inputs.logs.map(shortPath).join(', ') || 'none'}`,
  );
  const problems = result.problems.length > 0 ? el('ul', { class: 'problems', 'aria-label': 'Files not used' }, ...result.problems.map((p) => el('li', {}, p.message))) : '';
  const controls = el('div', { id: 'controls', role: 'list', 'aria-label': 'Controls' }, ...report.controls.filter((c) => filter === 'all' || c.status === filter).map(controlCard));
  app.replaceChildren(el('header', {}, el('h1', {}, 'Audit compliance report'), toolbar), el('div', { id: 'notice' }), summary, inputs, problems, controls, report.log ? logSection(report.log) : '');
}

function controlCard(control: ControlResult): HTMLElement {
  const card = el('section', { class: `control ${control.status}`, role: 'listitem', 'data-control': control.id, 'aria-label': `${control.id}: ${STATUS_TEXT[control.status]}` });
  card.append(
    el('div', { class: 'control-head' }, el('span', { class: `status ${control.status}` }, STATUS_TEXT[control.status]), el('code', { class: 'control-id' }, control.id), el('span', { class: 'control-title' }, control.title)),
    el('p', { class: 'detail' }, control.detail),
  );
  if (control.evidence.length > 0) card.append(el('ul', { class: 'evidence', 'aria-label': 'Evidence' }, ...control.evidence.map((e) => el('li', {}, evidenceLink(e)))));
  if (control.status !== 'pass') card.append(el('p', { class: 'remediation' }, el('strong', {}, 'Remediation: '), control.remediation));
  return card;
}

function evidenceLink(evidence: Evidence): HTMLElement {
  const link = el('a', { href: '#', class: 'evidence-link', title: `Open ${evidence.file} at line ${evidence.line}` }, `${shortPath(evidence.file)}:${evidence.line}`);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    post({ type: 'openEvidence', file: evidence.file, line: evidence.line });
  });
  return el('span', {}, link, ' ', el('code', { class: 'evidence-text' }, evidence.text));
}

function logSection(log: LogEvidence): HTMLElement {
  const section = el('section', { class: 'log', 'aria-label': 'What the log shows' }, el('h2', {}, 'What the log shows'));
  section.append(el('p', {}, `${log.requests.toLocaleString()} request(s) in ${log.events.toLocaleString()} event(s)${log.from ? `, ${log.from} to ${log.to}` : ''}. Levels seen: ${Object.entries(log.levels).map(([level, n]) => `${level} ${n}`).join(', ') || 'none'}.`));
  const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Must-log category'), el('th', {}, 'Requests'), el('th', {}, 'First one'))));
  const body = el('tbody');
  for (const c of log.categories) body.append(el('tr', { class: c.count === 0 ? 'none' : '' }, el('td', {}, c.title), el('td', { class: 'count' }, String(c.count)), el('td', {}, c.example ? evidenceLink(c.example) : '—')));
  table.append(body);
  section.append(table);
  if (log.gaps.length > 0) section.append(el('h3', {}, 'Longest silences'), el('ul', {}, ...log.gaps.map((g) => el('li', { class: g.suspicious ? 'suspicious' : '' }, `${g.minutes} min, ${g.from} to ${g.to}${g.suspicious ? ': far longer than usual, events may have been dropped' : ''}`))));
  if (log.policyMisses.length > 0) section.append(el('h3', {}, 'In the log, but not logged by this policy'), el('ul', {}, ...log.policyMisses.map((m) => el('li', {}, el('code', {}, m.what), ` ${m.count}× · `, evidenceLink(m.example)))));
  if (log.detections.length > 0) section.append(el('h3', {}, 'Detections'), el('ul', {}, ...log.detections.map((d) => el('li', {}, el('span', { class: `severity ${d.severity}` }, d.severity), ` ${d.title} ${d.count}× · `, evidenceLink(d.example)))));
  return section;
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button' }, text);
  b.addEventListener('click', onClick);
  return b;
}
