import type { ToWebviewMessage, ViewerFacet, ViewerQueryResult, ViewerRow, ViewerSort, ViewerStatus, ViewerTimeline } from '../../../server/src/protocol/logViewerPage';
import { FACET_FIELDS } from '../../../server/src/protocol/logViewer';
import { counted } from '../../../server/src/protocol/wording';
import { ColumnChooser } from './columnChooser';
import { COLUMNS, singleDay, timeDisplay } from './columns';
import { DetailsPane } from './detailsPane';
import { el } from './dom';
import { ViewerLayout } from './layout';
import { QueryBar } from './queryBar';
import { PageRequests } from './requests';
import { RowCache } from './rowCache';
import { Sidebar } from './sidebar';
import './style.css';
import { Timeline } from './timeline';
import { toolbar } from './toolbar';
import { VirtualTable } from './virtualTable';
import { vscodeApi } from './vscodeApi';

// How long the webview page's navigation waited for VS Code's webview service worker to start,
// before any of our code ran: the bench separates that from our own time.
const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
document.documentElement.dataset.serviceWorkerStartMs = String(Math.round(navigation && navigation.workerStart > 0 ? navigation.workerStart - navigation.startTime : 0));
const app = document.getElementById('app')!;
const requests = new PageRequests((message) => vscodeApi.postMessage(message));
const request = requests.request.bind(requests);
/** The query that ran last: only its answer is shown. */
let latestQuery: Promise<ViewerQueryResult> | undefined;
let following = false;
let lastStatus: ViewerStatus | undefined;
let lastJq = '';
let sort: ViewerSort = { key: 'time', direction: 'asc' };
const SORTABLE = new Set(['time', 'latency', 'code']);

/** JSON paths of the visible path columns: each page of rows is asked for with their values. */
let rowPaths: string[] = [];
/** The column path checked last: only its answer is shown. */
let latestPathCheck: Promise<unknown> | undefined;
const cache = new RowCache(
  (start, count) => request('rows', { start, count, ...(rowPaths.length > 0 ? { paths: rowPaths } : {}) }).then((answer) => answer.rows),
  () => {
    table.render();
    stampFirstRows();
  },
  showProblem,
);

/** Rows, counts or details could not be fetched (a ClickHouse server went away): said, never a silent gap. */
function showProblem(error: Error): void {
  queryBar.showProblem(`Error: ${error.message}`);
}
const details = new DetailsPane({
  // Closing the details is unselecting the row: the table then takes the space back.
  close: () => {
    table.clearSelection();
    table.element.focus();
  },
  dock: (dock) => {
    layout.set({ dock });
    details.setDock(dock);
    saveState({});
  },
  fetchEvent: (position, reveal) => request('event', { position, reveal }),
  failed: showProblem,
});

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
  // Enter or a double click shows the row in the log's text; rows of a ClickHouse table have their details only.
  onActivate: (_index, row) => details.fromFile && vscodeApi.postMessage(row.line === null ? { type: 'openRaw' } : { type: 'openRaw', line: row.line }),
  onSelect: (index) => (index < 0 ? details.clear() : details.show(index)),
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
const timeline = new Timeline((after, before) => editQuery(request('setTimeRange', { query: queryBar.value, after: after.toISOString(), before: before.toISOString() })));

/** Runs the query as the server edited it (a facet click, a time brush): the page writes no query language itself. */
function editQuery(edited: Promise<{ query: string }>): void {
  edited.then(({ query }) => queryBar.set(query, true), showProblem);
}
const queryBar = new QueryBar(
  (query) => runQuery(query),
  (text, cursor) => {
    const asked = request('complete', { text, cursor });
    asked.catch(showProblem);
    return asked;
  },
);
/** Set while the query in the bar has an error: the table and counts still show the previous result. */
let staleResult = false;
const staleNote = el('p', { id: 'stale-note', class: 'stale-note', role: 'status', hidden: '' });

const sidebar = new Sidebar({
  filterDetector: (query) => queryBar.set(query, true),
  filterFacet: (field, value, exclude) => editQuery(request('addFilter', { query: queryBar.value, field, value, exclude })),
});
const columnChooser = new ColumnChooser(COLUMNS, {
  onChange: () => {
    applyColumns();
    saveState({});
  },
  checkPath: (path) => {
    const asked = request('checkPath', { path });
    latestPathCheck = asked;
    asked.then((result) => latestPathCheck === asked && columnChooser.pathChecked(result), showProblem);
  },
  onResetWidths: () => {
    table.setWidths({});
    saveState({});
  },
});

const layout = new ViewerLayout({ sidebar: sidebar.element, table: el('div', { class: 'table-area' }, staleNote, table.element), details: details.element }, () => saveState({}));
const sidebarToggle = el('button', {
  type: 'button',
  id: 'toggle-sidebar',
  class: 'secondary icon',
  'aria-controls': 'sidebar',
  'aria-expanded': 'true',
  'aria-label': 'Detections and facets panel',
  title: 'Show or hide the detections and facets panel',
});
sidebarToggle.addEventListener('click', () => showSidebar(layout.current.sidebarCollapsed));

function showSidebar(show: boolean): void {
  layout.set({ sidebarCollapsed: !show });
  sidebarToggle.setAttribute('aria-expanded', String(show));
  // A panel-left glyph that points the way the click moves the panel.
  sidebarToggle.textContent = show ? '◀' : '▶';
  saveState({});
}

/**
 * Marks (or unmarks) what is on screen as the previous query's result: a note above the table, which
 * describes the grid for screen readers and is a live region, dimmed rows and a "previous result" summary.
 */
function markStale(stale: boolean): void {
  if (stale === staleResult) return;
  staleResult = stale;
  app.classList.toggle('stale', stale);
  staleNote.hidden = !stale;
  staleNote.textContent = stale ? 'Previous result: the query has an error, so the table, counts and facets still show the last query that ran.' : '';
  if (stale) table.element.setAttribute('aria-describedby', 'stale-note');
  else table.element.removeAttribute('aria-describedby');
  if (lastStatus) renderSummary(lastStatus);
}

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
/** The saved query was sent again and has not been answered: a restore waits for its result. */
let awaitingSavedQuery = false;

function applyPendingRestore(): void {
  if (!pendingRestore || !lastStatus || awaitingSavedQuery) return;
  const needed = Math.max(pendingRestore.top, pendingRestore.selected) + 1;
  if (lastStatus.matchingRows < needed && lastStatus.indexing) return;
  table.restore(pendingRestore.top, pendingRestore.selected);
  pendingRestore = undefined;
}

/** Position, selection, query, columns and the panes' places and sizes survive hiding the tab (the webview is rebuilt then). */
function saveState(position: Partial<typeof viewPosition>): void {
  viewPosition = { ...viewPosition, ...position };
  vscodeApi.setState({ ...viewPosition, query: queryBar.value, columns: columnChooser.visible(), paths: columnChooser.paths(), widths: table.columnWidths(), layout: layout.current });
}

const summary = el('span', { id: 'summary' });
const emptyNote = el('p', { class: 'empty' }, 'No audit events were found in this file (yet). Is it an audit log? "Open raw" shows it as text.');
/** Input that could not be read whole (damaged, not text, unreadable): said under the header, apart from the skipped lines. */
const readWarnings = el('div', { id: 'read-warnings', class: 'read-warnings', role: 'alert', hidden: '' });
let shownWarnings = '';

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

function summaryText(status: ViewerStatus): string {
  const parts = [`${status.matchingRows.toLocaleString('en-US')} of ${counted(status.totalRows, 'request')}`];
  if (staleResult) parts.unshift('Previous result');
  if (status.formats.length > 0) parts.push(status.formats.join(', '));
  parts.push(formatBytes(status.totalBytes));
  if (status.indexing) parts.push(`indexing ${status.totalBytes > 0 ? Math.floor((100 * status.bytesRead) / status.totalBytes) : 0}%`);
  if (status.skippedCount > 0) parts.push(`${counted(status.skippedCount, 'line')} skipped`);
  if (status.warnings.length > 0) parts.push(nothingRead(status) ? 'not read' : 'partial: damaged input');
  return parts.join(' · ');
}

/** Nothing could be shown, and the warnings say why (so neither an empty table nor "no events found"). */
function nothingRead(status: ViewerStatus): boolean {
  return status.totalRows === 0 && !status.indexing && status.warnings.length > 0;
}

function renderReadWarnings(status: ViewerStatus): void {
  const text = status.warnings.map((warning) => warning.message).join('\n');
  // The element is an alert: only a change is announced again.
  if (text === shownWarnings) return;
  shownWarnings = text;
  readWarnings.replaceChildren(...status.warnings.map((warning) => el('p', { 'data-kind': warning.kind }, warning.message)));
  readWarnings.hidden = status.warnings.length === 0;
}

function renderSummary(status: ViewerStatus): void {
  summary.textContent = summaryText(status);
  // Cut with an ellipsis in a narrow editor: the tooltip has it whole.
  summary.title = summary.textContent;
}

/** What came with a status: the rows from 0 of its result (the `opened` message, a query's answer) and its counts (a query's answer). */
interface ResultView {
  firstPage?: { rows: ViewerRow[]; paths: string[] };
  counts?: { facets: ViewerFacet[]; timeline: ViewerTimeline };
}

function showStatus(status: ViewerStatus, { firstPage, counts }: ResultView = {}): void {
  lastStatus = status;
  const day = singleDay(status.timeSpan);
  if (day !== timeDisplay.day) {
    // The Time column's text and width follow (a growing log can reach a second day).
    timeDisplay.day = day;
    applyColumns();
  }
  renderSummary(status);
  renderReadWarnings(status);
  const nothing = nothingRead(status);
  emptyNote.hidden = status.totalRows > 0 || status.indexing || nothing;
  for (const part of [queryBar.element, timeline.element, layout.element]) part.hidden = nothing;
  skippedList.replaceChildren(...status.skipped.map((s) => el('li', {}, `line ${s.line}: ${s.reason}`)));
  skippedDetails.hidden = status.skippedCount === 0;
  sidebar.showDetections(status);
  cache.clear();
  // Path columns need values the first page was sent without: then it is fetched as usual.
  if (firstPage && sameList(firstPage.paths, rowPaths)) cache.seed(0, firstPage.rows);
  table.setRowCount(status.matchingRows);
  if (following) table.scrollToEnd();
  applyPendingRestore();
  if (counts) {
    facetCounts.show(counts.facets);
    timelineCounts.show(counts.timeline);
  } else {
    facetCounts.request();
    timelineCounts.request();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * Facets and the timeline are recounted when the result changes, but at most one request of each is
 * in flight: while indexing, status updates come faster than a big log can be recounted, and queued
 * recounts would delay the user's own filter. A change meanwhile asks once more when the answer comes.
 * Counts that came with a query's answer are newer than any recount asked before it: those are dropped.
 */
function recountOneAtATime<T>(ask: () => Promise<T>, render: (counts: T) => void): { request(): void; show(counts: T): void } {
  let inFlight = false;
  let again = false;
  let shown = 0;
  const request = () => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const askedAfter = shown;
    ask()
      .then((counts) => askedAfter === shown && render(counts), showProblem)
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          request();
        }
      });
  };
  return {
    request,
    show: (counts) => {
      shown++;
      again = false;
      render(counts);
    },
  };
}

const timelineCounts = recountOneAtATime(
  () => request('timeline', { buckets: timeline.wantedBuckets }),
  (counts) => timeline.show(counts),
);
const facetCounts = recountOneAtATime(
  () => request('facets', { fields: [...FACET_FIELDS] }),
  (facets) => sidebar.showFacets(facets),
);

function runQuery(query: string): void {
  const paths = rowPaths;
  const asked = request('query', { query, sort, buckets: timeline.wantedBuckets, ...(paths.length > 0 ? { paths } : {}) });
  latestQuery = asked;
  asked.then(
    (result) => latestQuery === asked && showQueryResult(result, paths),
    (error: Error) => {
      if (latestQuery !== asked) return;
      awaitingSavedQuery = false;
      queryBar.showResult(`Error: ${error.message}`);
      markStale(true);
    },
  );
}

const skippedList = el('ul', { id: 'skipped' });
const skippedDetails = el('details', { class: 'skipped' }, el('summary', {}, 'Skipped lines'), skippedList);

function renderOpened(message: Extract<ToWebviewMessage, { type: 'opened' }>): void {
  const fromFile = message.source === 'file';
  details.fromFile = fromFile;
  if (!fromFile) emptyNote.textContent = 'This ClickHouse table has no audit events (yet): load a log into it with k8s-audit load, or send events to it with k8s-audit serve.';
  const header = toolbar(message.fileName, summary, sidebarToggle, columnChooser.element, {
    follow: (on) => {
      following = on;
      if (on) table.scrollToEnd();
    },
    export: (format) => vscodeApi.postMessage({ type: 'export', format }),
    copyJq: () => lastJq && vscodeApi.postMessage({ type: 'copy', text: lastJq }),
    ...(fromFile ? { openRaw: () => vscodeApi.postMessage({ type: 'openRaw' }) } : {}),
  });
  app.replaceChildren(header, readWarnings, queryBar.element, timeline.element, emptyNote, layout.element, skippedDetails);
  table.setSort(sort.key, sort.direction);
  const saved = vscodeApi.getState();
  layout.restore(saved?.layout);
  details.setDock(layout.current.dock);
  showSidebar(!layout.current.sidebarCollapsed);
  if (saved?.columns) columnChooser.restore(saved.columns, saved.paths);
  if (saved?.widths) table.setWidths(saved.widths);
  if (saved?.columns || saved?.widths) applyColumns();
  showStatus(message.status, { firstPage: { rows: message.firstRows, paths: [] } });
  stampFirstRows();
  pendingRestore = saved ? { top: saved.top, selected: saved.selected } : undefined;
  // A saved query runs again first: the position and selection are in its result.
  if (saved?.query) {
    awaitingSavedQuery = true;
    queryBar.set(saved.query, true);
  }
  applyPendingRestore();
  table.element.focus();
}

/** The answer to the query that ran last: a new result, or an error that leaves the previous one on screen. */
function showQueryResult(result: ViewerQueryResult, paths: string[]): void {
  awaitingSavedQuery = false;
  if (!result.ok) {
    queryBar.showError(queryBar.value, result.error);
    markStale(true);
    applyPendingRestore();
    return;
  }
  lastJq = result.jq;
  queryBar.showResult(`${result.matchingRows.toLocaleString('en-US')} matching · ${result.elapsedMs} ms`);
  markStale(false);
  // The rows are others now: nothing is selected.
  table.clearSelection();
  if (lastStatus) showStatus({ ...lastStatus, matchingRows: result.matchingRows }, { firstPage: { rows: result.firstRows, paths }, counts: result });
}

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'opened':
      renderOpened(message);
      break;
    case 'status':
      if (message.reset) table.clearSelection();
      // The server re-ran the current query over the new rows.
      showStatus(message.status);
      break;
    case 'answer':
      requests.receive(message);
      break;
    case 'error':
      app.replaceChildren(el('p', { class: 'error', role: 'alert' }, message.message));
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
