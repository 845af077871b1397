import type { ToWebviewMessage, ViewerRow, ViewerSort, ViewerStatus } from '../../src/auditLog/protocol';
import { ColumnChooser } from './columnChooser';
import { COLUMNS } from './columns';
import { DetailsPane } from './detailsPane';
import { el } from './dom';
import { QueryBar, term } from './queryBar';
import { RowCache } from './rowCache';
import { Sidebar } from './sidebar';
import './style.css';
import { Timeline } from './timeline';
import { VirtualTable } from './virtualTable';
import { vscodeApi } from './vscodeApi';

// How long the webview page's navigation waited for VS Code's webview service worker to start,
// before any of our code ran: the bench separates that from our own time.
const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
document.documentElement.dataset.serviceWorkerStartMs = String(Math.round(navigation && navigation.workerStart > 0 ? navigation.workerStart - navigation.startTime : 0));
const app = document.getElementById('app')!;
let nextRequestId = 1;
let queryRequest = 0;
let facetsRequest = 0;
let timelineRequest = 0;
let following = false;
let lastStatus: ViewerStatus | undefined;
let lastJq = '';
let sort: ViewerSort = { key: 'time', direction: 'asc' };
const SORTABLE = new Set(['time', 'latency', 'code']);

/** JSON paths of the visible path columns: each page of rows is asked for with their values. */
let rowPaths: string[] = [];
let pathRequest = 0;
const cache = new RowCache(
  (requestId, start, count) => vscodeApi.postMessage({ type: 'getRows', requestId, start, count, ...(rowPaths.length > 0 ? { paths: rowPaths } : {}) }),
  () => {
    table.render();
    stampFirstRows();
  },
);
const details = new DetailsPane();

/**
 * Records when the table first shows rows (the frame that paints them), as data-first-rows-at
 * (epoch ms): the bench reads it instead of timing its own polling of the page.
 */
function stampFirstRows(): void {
  const root = document.documentElement;
  if (root.dataset.firstRowsAt || !document.querySelector('#rows .vt-row .vt-cell:not(.loading)')) return;
  requestAnimationFrame(() => (root.dataset.firstRowsAt ||= String(Date.now())));
}
const table = new VirtualTable({
  columns: COLUMNS.filter((column) => !column.hiddenByDefault),
  getRow: (index) => cache.get(index),
  onActivate: (_index, row) => vscodeApi.postMessage(row.line === null ? { type: 'openRaw' } : { type: 'openRaw', line: row.line }),
  onSelect: (index) => details.show(index),
  onViewChange: (top, selected) => saveState({ top, selected }),
  onKey: (action, selected) => {
    if (action === 'escape') {
      // Esc clears the selection first (the table does that), then the query.
      queryBar.set('', true);
      return;
    }
    const json = details.jsonOf(selected);
    if (json) vscodeApi.postMessage({ type: 'copy', text: json });
  },
  onColumnResize: () => saveState({}),
  onHeaderClick: (columnId) => {
    if (!SORTABLE.has(columnId)) return;
    const key = columnId as ViewerSort['key'];
    sort = { key, direction: sort.key === key && sort.direction === 'asc' ? 'desc' : 'asc' };
    table.setSort(key, sort.direction);
    runQuery(queryBar.value);
  },
});
const timeline = new Timeline((after, before) => {
  // One time range at a time: drop earlier after:/before: terms, then add the brushed range.
  const rest = queryBar.value.replace(/(^|\s)-?(after|before):\S+/g, ' ').trim();
  queryBar.set(`${rest} after:${after.toISOString()} before:${before.toISOString()}`.trim(), true);
});
const queryBar = new QueryBar(
  (query) => runQuery(query),
  (text, cursor) => {
    const requestId = nextRequestId++;
    vscodeApi.postMessage({ type: 'complete', requestId, text, cursor });
    return requestId;
  },
);
const sidebar = new Sidebar({
  filterDetector: (query) => queryBar.set(query, true),
  filterFacet: (field, value, exclude) => queryBar.set(`${queryBar.value.trim()} ${term(field, value, exclude)}`.trim(), true),
});
const columnChooser = new ColumnChooser(COLUMNS, {
  onChange: () => {
    applyColumns();
    saveState({});
  },
  checkPath: (path) => {
    pathRequest = nextRequestId++;
    vscodeApi.postMessage({ type: 'checkPath', requestId: pathRequest, path });
  },
  onResetWidths: () => {
    table.setWidths({});
    saveState({});
  },
});

/** Shows the chosen columns; a path column that was not in the rows fetched so far refetches them. */
function applyColumns(): void {
  const columns = columnChooser.visibleColumns();
  table.setColumns(columns);
  table.setSort(sort.key, sort.direction);
  const paths = columns.flatMap((column) => (column.path === undefined ? [] : [column.path]));
  const added = paths.some((path) => !rowPaths.includes(path));
  rowPaths = paths;
  if (added) {
    cache.clear();
    table.render();
  }
}
let viewPosition = { top: 0, selected: -1 };
/** A saved position waits until the rows it refers to are indexed (a big log arrives in parts). */
let pendingRestore: { top: number; selected: number } | undefined;

function applyPendingRestore(): void {
  if (!pendingRestore || !lastStatus) return;
  const needed = Math.max(pendingRestore.top, pendingRestore.selected) + 1;
  if (lastStatus.matchingRows < needed && lastStatus.indexing) return;
  table.restore(pendingRestore.top, pendingRestore.selected);
  pendingRestore = undefined;
}

/** Position, selection, query and columns survive hiding the tab (the webview is rebuilt then). */
function saveState(position: Partial<typeof viewPosition>): void {
  viewPosition = { ...viewPosition, ...position };
  vscodeApi.setState({ ...viewPosition, query: queryBar.value, columns: columnChooser.visible(), paths: columnChooser.paths(), widths: table.columnWidths() });
}

const summary = el('span', { id: 'summary' });
const emptyNote = el('p', { class: 'empty' }, 'No audit events were found in this file (yet). Is it an audit log? "Open raw" shows it as text.');

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

/** `firstPage`: the rows from 0 of this status's result, when they came with it (the `opened` message). */
function showStatus(status: ViewerStatus, firstPage?: ViewerRow[]): void {
  lastStatus = status;
  const parts = [`${status.matchingRows.toLocaleString('en-US')} of ${status.totalRows.toLocaleString('en-US')} requests`];
  if (status.formats.length > 0) parts.push(status.formats.join(', '));
  parts.push(formatBytes(status.totalBytes));
  if (status.indexing) parts.push(`indexing ${status.totalBytes > 0 ? Math.floor((100 * status.bytesRead) / status.totalBytes) : 0}%`);
  if (status.skippedCount > 0) parts.push(`${status.skippedCount.toLocaleString('en-US')} lines skipped`);
  summary.textContent = parts.join(' · ');
  emptyNote.hidden = status.totalRows > 0 || status.indexing;
  skippedList.replaceChildren(...status.skipped.map((s) => el('li', {}, `line ${s.line}: ${s.reason}`)));
  skippedDetails.hidden = status.skippedCount === 0;
  sidebar.showDetections(status);
  cache.clear();
  // Path columns need values the first page was sent without: then it is fetched as usual.
  if (firstPage && rowPaths.length === 0) cache.seed(0, firstPage);
  table.setRowCount(status.matchingRows);
  if (following) table.scrollToEnd();
  applyPendingRestore();
  facetCounts.request();
  timelineCounts.request();
}

/**
 * Facets and the timeline are recounted when the result changes, but at most one request of each is
 * in flight: while indexing, status updates come faster than a big log can be recounted, and queued
 * recounts would delay the user's own filter. A change meanwhile asks once more when the answer comes.
 */
function recountOneAtATime(send: (requestId: number) => void): { request(): void; answered(): void } {
  let inFlight = false;
  let stale = false;
  const request = () => {
    if (inFlight) {
      stale = true;
      return;
    }
    inFlight = true;
    send(nextRequestId++);
  };
  return {
    request,
    answered: () => {
      inFlight = false;
      if (stale) {
        stale = false;
        request();
      }
    },
  };
}

const timelineCounts = recountOneAtATime((requestId) => {
  timelineRequest = requestId;
  vscodeApi.postMessage({ type: 'getTimeline', requestId, buckets: timeline.wantedBuckets });
});
const facetCounts = recountOneAtATime((requestId) => {
  facetsRequest = requestId;
  vscodeApi.postMessage({ type: 'getFacets', requestId });
});

function runQuery(query: string): void {
  queryRequest = nextRequestId++;
  vscodeApi.postMessage({ type: 'setQuery', requestId: queryRequest, query, sort });
}

function button(label: string, attributes: Record<string, string>, onClick: (button: HTMLButtonElement) => void): HTMLButtonElement {
  const element = el('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', () => onClick(element));
  return element;
}

const skippedList = el('ul', { id: 'skipped' });
const skippedDetails = el('details', { class: 'skipped' }, el('summary', {}, 'Skipped lines'), skippedList);

function renderOpened(message: Extract<ToWebviewMessage, { type: 'opened' }>): void {
  const follow = button('Follow', { id: 'follow', 'aria-pressed': 'false', title: 'Keep the newest requests in view as the file grows' }, (element) => {
    following = !following;
    element.setAttribute('aria-pressed', String(following));
    if (following) table.scrollToEnd();
  });
  const openRaw = button('Open raw', { class: 'open-raw', title: 'Open the log as text' }, () => vscodeApi.postMessage({ type: 'openRaw' }));
  const exportCsv = button('Export CSV', { id: 'export-csv', title: 'Save the filtered requests as CSV' }, () => vscodeApi.postMessage({ type: 'export', format: 'csv' }));
  const exportJsonl = button('Export JSON lines', { id: 'export-jsonl', title: 'Save the events of the filtered requests as JSON lines' }, () =>
    vscodeApi.postMessage({ type: 'export', format: 'jsonl' }),
  );
  const copyJq = button('Copy query as jq', { id: 'copy-jq', title: 'The same filter as a jq program' }, () => lastJq && vscodeApi.postMessage({ type: 'copy', text: lastJq }));
  const toolbar = el('header', { class: 'toolbar' }, el('span', { class: 'file-name' }, message.fileName), summary, follow, columnChooser.element, exportCsv, exportJsonl, copyJq, openRaw);
  app.replaceChildren(toolbar, queryBar.element, timeline.element, emptyNote, el('div', { class: 'main' }, sidebar.element, table.element, details.element), skippedDetails);
  table.setSort(sort.key, sort.direction);
  const saved = vscodeApi.getState();
  if (saved?.columns) columnChooser.restore(saved.columns, saved.paths);
  if (saved?.widths) table.setWidths(saved.widths);
  if (saved?.columns || saved?.widths) applyColumns();
  showStatus(message.status, message.firstRows);
  stampFirstRows();
  if (saved?.query) queryBar.set(saved.query, true);
  pendingRestore = saved ? { top: saved.top, selected: saved.selected } : undefined;
  applyPendingRestore();
  table.element.focus();
}

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'opened':
      renderOpened(message);
      break;
    case 'status':
      if (message.reset) details.clear();
      // The server re-ran the current query over the new rows.
      showStatus(message.status);
      break;
    case 'rows':
      cache.receive(message.requestId, message.start, message.rows);
      break;
    case 'queryResult':
      if (message.requestId !== queryRequest) break;
      if (!message.result.ok) {
        queryBar.showError(queryBar.value, message.result.error);
        break;
      }
      lastJq = message.result.jq;
      queryBar.showResult(`${message.result.matchingRows.toLocaleString('en-US')} matching · ${message.result.elapsedMs} ms`);
      details.clear();
      if (lastStatus) showStatus({ ...lastStatus, matchingRows: message.result.matchingRows });
      break;
    case 'completions':
      queryBar.showCompletions(message.requestId, message.completion);
      break;
    case 'pathChecked':
      if (message.requestId === pathRequest) columnChooser.pathChecked(message.result);
      break;
    case 'timeline':
      if (message.requestId !== timelineRequest) break;
      timeline.show(message.timeline);
      timelineCounts.answered();
      break;
    case 'facets':
      if (message.requestId !== facetsRequest) break;
      sidebar.showFacets(message.facets);
      facetCounts.answered();
      break;
    case 'event':
      details.receive(message);
      break;
    case 'error':
      if (message.requestId === undefined) app.replaceChildren(el('p', { class: 'error', role: 'alert' }, message.message));
      else if (message.requestId === queryRequest) queryBar.showResult(`Error: ${message.message}`);
      break;
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === '/' && document.activeElement !== queryBar.input) {
    event.preventDefault();
    queryBar.input.focus();
  }
});

app.replaceChildren(el('p', { class: 'loading' }, 'Reading the log...'));
vscodeApi.postMessage({ type: 'ready' });
