import type { ToWebviewMessage } from '../../src/auditLog/protocol';
import { COLUMNS } from './columns';
import { DetailsPane } from './detailsPane';
import { el } from './dom';
import { RowCache } from './rowCache';
import './style.css';
import { VirtualTable } from './virtualTable';
import { vscodeApi } from './vscodeApi';

const app = document.getElementById('app')!;

const cache = new RowCache(
  (requestId, start, count) => vscodeApi.postMessage({ type: 'getRows', requestId, start, count }),
  () => table.render(),
);
const details = new DetailsPane();
const table = new VirtualTable({
  columns: COLUMNS,
  getRow: (index) => cache.get(index),
  onActivate: (_index, row) => vscodeApi.postMessage({ type: 'openRaw', line: row.line }),
  onSelect: (index) => details.show(index),
  onViewChange: (top, selected) => vscodeApi.setState({ top, selected }),
});

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

function openRawButton(): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'open-raw', title: 'Open the log as text' }, 'Open raw');
  button.addEventListener('click', () => vscodeApi.postMessage({ type: 'openRaw' }));
  return button;
}

function renderOpened(message: Extract<ToWebviewMessage, { type: 'opened' }>): void {
  const summary = `${message.rowCount.toLocaleString('en-US')} events${message.complete ? '' : ' (first part of the file)'} · ${formatBytes(message.sizeBytes)}`;
  const toolbar = el('header', { class: 'toolbar' }, el('span', { class: 'file-name' }, message.fileName), el('span', { id: 'summary' }, summary), openRawButton());
  const children: Node[] = [toolbar];
  if (message.rowCount === 0) {
    children.push(el('p', { class: 'empty' }, 'No audit events were found in this file. Is it an audit log? "Open raw" shows it as text.'));
  } else {
    children.push(el('div', { class: 'main' }, table.element, details.element));
  }
  if (message.skipped.length > 0) {
    const list = el('ul', { id: 'skipped' }, ...message.skipped.slice(0, 100).map((s) => el('li', {}, `line ${s.line}: ${s.reason}`)));
    children.push(el('details', { class: 'skipped' }, el('summary', {}, `${message.skipped.length.toLocaleString('en-US')} line(s) skipped`), list));
  }
  app.replaceChildren(...children);
  cache.clear();
  // Read before setRowCount, which reports (and so saves) the initial position.
  const saved = vscodeApi.getState();
  table.setRowCount(message.rowCount);
  if (saved) table.restore(saved.top, saved.selected);
  if (message.rowCount > 0) table.element.focus();
}

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'opened':
      renderOpened(message);
      break;
    case 'rows':
      cache.receive(message.requestId, message.start, message.rows);
      break;
    case 'event':
      details.receive(message);
      break;
    case 'error':
      if (message.requestId === undefined) app.replaceChildren(el('p', { class: 'error', role: 'alert' }, message.message), openRawButton());
      break;
  }
});

app.replaceChildren(el('p', { class: 'loading' }, 'Reading the log...'));
vscodeApi.postMessage({ type: 'ready' });
