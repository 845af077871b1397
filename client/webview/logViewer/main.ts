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

type Counts = Pick<Extract<ToWebviewMessage, { type: 'opened' }>, 'rowCount' | 'complete' | 'sizeBytes' | 'pendingLine'>;

const summary = el('span', { id: 'summary' });
const emptyNote = el('p', { class: 'empty' }, 'No audit events were found in this file (yet). Is it an audit log? "Open raw" shows it as text.');
let following = false;

function showCounts(counts: Counts): void {
  const parts = [`${counts.rowCount.toLocaleString('en-US')} events${counts.complete ? '' : ' (first part of the file)'}`, formatBytes(counts.sizeBytes)];
  if (counts.pendingLine !== undefined) parts.push(`line ${counts.pendingLine} still being written`);
  summary.textContent = parts.join(' · ');
}

function followButton(): HTMLButtonElement {
  const button = el('button', { type: 'button', id: 'follow', 'aria-pressed': String(following), title: 'Keep the newest events in view as the file grows' }, 'Follow');
  button.addEventListener('click', () => {
    following = !following;
    button.setAttribute('aria-pressed', String(following));
    if (following) table.scrollToEnd();
  });
  return button;
}

function renderOpened(message: Extract<ToWebviewMessage, { type: 'opened' }>): void {
  showCounts(message);
  const toolbar = el('header', { class: 'toolbar' }, el('span', { class: 'file-name' }, message.fileName), summary, followButton(), openRawButton());
  const children: Node[] = [toolbar, emptyNote, el('div', { class: 'main' }, table.element, details.element)];
  emptyNote.hidden = message.rowCount > 0;
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
    case 'changed':
      if (message.reset) cache.clear();
      else cache.invalidateFrom(table.rows);
      showCounts(message);
      table.setRowCount(message.rowCount);
      emptyNote.hidden = message.rowCount > 0;
      if (following) table.scrollToEnd();
      break;
    case 'error':
      if (message.requestId === undefined) app.replaceChildren(el('p', { class: 'error', role: 'alert' }, message.message), openRawButton());
      break;
  }
});

app.replaceChildren(el('p', { class: 'loading' }, 'Reading the log...'));
vscodeApi.postMessage({ type: 'ready' });
