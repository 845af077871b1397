import type { AuditRow, ToWebviewMessage } from '../../src/auditLog/protocol';
import { el } from './dom';
import './style.css';
import { vscodeApi } from './vscodeApi';

const COLUMNS: { title: string; value: (row: AuditRow) => string }[] = [
  { title: 'Time', value: (row) => row.time },
  { title: 'Stage', value: (row) => row.stage },
  { title: 'User', value: (row) => row.user },
  { title: 'Verb', value: (row) => row.verb },
  { title: 'Resource', value: (row) => row.resource },
  { title: 'Namespace', value: (row) => row.namespace },
  { title: 'Name', value: (row) => row.name },
  { title: 'Code', value: (row) => (row.code === null ? '' : String(row.code)) },
  { title: 'Source IP', value: (row) => row.sourceIP },
];

const app = document.getElementById('app')!;

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function openRawButton(line?: number): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'open-raw' }, line === undefined ? 'Open raw' : `Open line ${line}`);
  button.addEventListener('click', () => vscodeApi.postMessage(line === undefined ? { type: 'openRaw' } : { type: 'openRaw', line }));
  return button;
}

function renderPreview(message: Extract<ToWebviewMessage, { type: 'preview' }>): void {
  const summary = `${message.rows.length.toLocaleString()} events${message.complete ? '' : ' (first part of the file)'} · ${formatBytes(message.sizeBytes)}`;
  const header = el('header', { class: 'toolbar' }, el('span', { class: 'file-name' }, message.fileName), el('span', { id: 'summary' }, summary), openRawButton());

  const table = el('table', { id: 'rows', role: 'grid', 'aria-rowcount': String(message.rows.length + 1) });
  table.append(el('thead', {}, el('tr', { role: 'row' }, ...COLUMNS.map((column) => el('th', { role: 'columnheader', scope: 'col' }, column.title)))));
  const body = el('tbody');
  message.rows.forEach((row, index) => {
    const tr = el('tr', { role: 'row', 'aria-rowindex': String(index + 2), tabindex: '-1', 'data-line': String(row.line) });
    for (const column of COLUMNS) tr.append(el('td', { role: 'gridcell' }, column.value(row)));
    tr.addEventListener('dblclick', () => vscodeApi.postMessage({ type: 'openRaw', line: row.line }));
    body.append(tr);
  });
  table.append(body);

  const children: Node[] = [header];
  if (message.skipped.length > 0) {
    const list = el('ul', { id: 'skipped' }, ...message.skipped.slice(0, 50).map((s) => el('li', {}, `line ${s.line}: ${s.reason}`)));
    children.push(el('details', { class: 'skipped' }, el('summary', {}, `${message.skipped.length} line(s) skipped`), list));
  }
  children.push(message.rows.length > 0 ? table : el('p', { class: 'empty' }, 'No audit events were found in this file.'));
  app.replaceChildren(...children);
}

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'preview':
      renderPreview(message);
      break;
    case 'error':
      app.replaceChildren(el('p', { class: 'error', role: 'alert' }, message.message), openRawButton());
      break;
  }
});

app.replaceChildren(el('p', { class: 'loading' }, 'Reading the log...'));
vscodeApi.postMessage({ type: 'ready' });
