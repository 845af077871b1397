import type { ViewerRow } from '../../../server/src/protocol/logViewerPage';
import type { Column } from './columns';
import { el } from './dom';
import { KEY_STEP, KEY_STEP_LARGE } from './splitter';

/** Fixed row height: row positions are arithmetic, so millions of rows cost nothing to lay out. */
const ROW_HEIGHT = 22;
const MIN_THUMB = 24;
/** Column widths the user can set, in CSS pixels (arrow keys on a column edge step as on any edge). */
export const MIN_COLUMN_WIDTH = 32;
const MAX_COLUMN_WIDTH = 2000;

export interface VirtualTableOptions {
  columns: readonly Column[];
  getRow(index: number): ViewerRow | undefined;
  /** Enter or double-click on a row. */
  onActivate(index: number, row: ViewerRow): void;
  /** The selected row changed; -1: no row is selected any more. */
  onSelect(index: number): void;
  /** After every scroll or selection change, with the new position. */
  onViewChange(top: number, selected: number): void;
  /** A click on a column header (sorting). */
  onHeaderClick(columnId: string): void;
  /** Esc with no selection, or Ctrl+C on the selected row. */
  onKey(action: 'escape' | 'copy', selected: number): void;
  /** After the user resized a column (drag, double-click or keys), with every width set so far. */
  onColumnResize?(widths: Record<string, number>): void;
}

/**
 * A grid that draws only the rows on screen. It scrolls by row index with a scrollbar of its own, so
 * it does not depend on the browser's maximum element height (about 33 million pixels in Chromium,
 * 1.5 million rows): any row count scrolls the same way.
 */
export class VirtualTable {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly header: HTMLElement;
  private readonly track: HTMLElement;
  private readonly thumb: HTMLElement;
  private rowCount = 0;
  private top = 0;
  private selected = -1;
  private wheelRemainder = 0;

  /** The columns shown, in order. */
  private columns: readonly Column[];
  /** Widths the user gave columns (px), by column id; other columns keep their default track. */
  private widths = new Map<string, number>();

  constructor(private readonly options: VirtualTableOptions) {
    this.columns = options.columns;
    const header = el('div', { class: 'vt-header', role: 'row', 'aria-rowindex': '1' });
    header.addEventListener('click', (event) => {
      // A click on a column's edge resizes it, it does not sort.
      if ((event.target as HTMLElement).closest('.vt-resize')) return;
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-column]');
      if (cell?.dataset.column) options.onHeaderClick(cell.dataset.column);
    });
    this.header = header;
    this.body = el('div', { class: 'vt-body', role: 'rowgroup' });
    this.thumb = el('div', { class: 'vt-thumb' });
    this.track = el('div', { class: 'vt-track', 'aria-hidden': 'true' }, this.thumb);
    this.element = el('div', { id: 'rows', class: 'vt', role: 'grid', tabindex: '0' }, header, el('div', { class: 'vt-viewport' }, this.body, this.track));
    this.setColumns(options.columns);
    // Columns wider than the table scroll sideways; the header follows the rows.
    this.body.addEventListener('scroll', () => (this.header.style.transform = this.body.scrollLeft ? `translateX(${-this.body.scrollLeft}px)` : ''));
    // Focusing a header's resize handle off to the side makes the browser scroll the grid itself
    // (overflow: hidden still scrolls): move that scroll to the rows, which the header follows.
    this.element.addEventListener('scroll', () => {
      if (this.element.scrollLeft !== 0) {
        this.body.scrollLeft += this.element.scrollLeft;
        this.element.scrollLeft = 0;
      }
      if (this.element.scrollTop !== 0) this.element.scrollTop = 0;
    });
    this.element.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.body.addEventListener('click', (event) => this.onClick(event, false));
    this.body.addEventListener('dblclick', (event) => this.onClick(event, true));
    this.track.addEventListener('pointerdown', (event) => this.onTrackPointer(event));
    new ResizeObserver(() => this.render()).observe(this.body);
  }

  get rows(): number {
    return this.rowCount;
  }

  setRowCount(count: number): void {
    this.rowCount = count;
    if (this.selected >= count) {
      this.selected = -1;
      this.options.onSelect(-1);
    }
    this.element.setAttribute('aria-rowcount', String(count + 1));
    this.scrollTo(this.top);
  }

  /** Repaints the visible rows, for example when a page of rows arrived. */
  render(): void {
    const visible = this.visibleRows();
    const rows: HTMLElement[] = [];
    for (let i = this.top; i < Math.min(this.rowCount, this.top + visible + 1); i++) rows.push(this.renderRow(i));
    this.body.replaceChildren(...rows);
    this.renderScrollbar(visible);
  }

  clearSelection(): void {
    if (this.selected >= 0) this.options.onSelect(-1);
    this.selected = -1;
    this.render();
    this.options.onViewChange(this.top, this.selected);
  }

  /** Shows these columns, in this order. */
  setColumns(columns: readonly Column[]): void {
    this.columns = columns;
    this.header.replaceChildren(...this.columns.map((c) => this.headerCell(c)));
    this.applyWidths();
    this.element.setAttribute('aria-colcount', String(this.columns.length));
    this.render();
  }

  /** Widths the user set (px by column id), to keep them with the tab's state. */
  columnWidths(): Record<string, number> {
    return Object.fromEntries(this.widths);
  }

  /** Restores saved widths; `{}` puts every column back to its default width. */
  setWidths(widths: Record<string, number>): void {
    this.widths = new Map(Object.entries(widths).filter(([, width]) => Number.isFinite(width)).map(([id, width]) => [id, clampWidth(width)]));
    this.applyWidths();
  }

  /** Sets one column's width (px) as a drag or a key press does. */
  resizeColumn(columnId: string, width: number): void {
    this.widths.set(columnId, clampWidth(width));
    this.applyWidths();
  }

  /** Fits a column to the widest of its header and the cells drawn now (the visible rows). */
  fitColumn(columnId: string): void {
    const position = this.columns.findIndex((c) => c.id === columnId);
    const headerCell = this.header.children[position] as HTMLElement | undefined;
    if (position < 0 || !headerCell) return;
    const title = headerCell.querySelector<HTMLElement>('.vt-title');
    // Header: its text plus the cell's padding and the resize handle.
    let widest = (title?.scrollWidth ?? 0) + 24;
    for (const row of this.body.children) {
      if (row.children.length !== this.columns.length) continue;
      widest = Math.max(widest, (row.children[position] as HTMLElement).scrollWidth + 2);
    }
    this.resizeColumn(columnId, widest);
  }

  private headerCell(column: Column): HTMLElement {
    const name = column.title || 'detector mark';
    const title = el('span', { class: 'vt-title' }, column.title);
    const handle = el('div', {
      class: 'vt-resize',
      role: 'separator',
      tabindex: '0',
      'aria-orientation': 'vertical',
      'aria-label': `Resize the ${name} column`,
      'aria-valuemin': String(MIN_COLUMN_WIDTH),
      'aria-valuemax': String(MAX_COLUMN_WIDTH),
      title: 'Drag to resize, double-click to fit the visible rows. Keys: Left/Right (Shift: larger steps), Enter fits, Delete resets',
    });
    const cell = el('div', { role: 'columnheader', class: 'vt-cell', 'data-column': column.id, title: column.description ?? column.title }, title, handle);
    const currentWidth = () => this.widths.get(column.id) ?? Math.round(cell.getBoundingClientRect().width);
    const changed = () => {
      handle.setAttribute('aria-valuenow', String(currentWidth()));
      this.options.onColumnResize?.(this.columnWidths());
    };
    handle.addEventListener('focus', () => handle.setAttribute('aria-valuenow', String(currentWidth())));
    handle.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      event.stopPropagation();
      handle.setPointerCapture(event.pointerId);
      const startX = event.clientX;
      const startWidth = cell.getBoundingClientRect().width;
      handle.classList.add('dragging');
      const move = (moveEvent: PointerEvent) => this.resizeColumn(column.id, startWidth + moveEvent.clientX - startX);
      const end = () => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', end);
        handle.removeEventListener('lostpointercapture', end);
        handle.classList.remove('dragging');
        if (this.widths.has(column.id)) changed();
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', end);
      handle.addEventListener('lostpointercapture', end);
    });
    handle.addEventListener('dblclick', (event) => {
      event.stopPropagation();
      this.fitColumn(column.id);
      changed();
    });
    handle.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') this.resizeColumn(column.id, currentWidth() + (event.key === 'ArrowLeft' ? -step : step));
      else if (event.key === 'Enter') this.fitColumn(column.id);
      else if (event.key === 'Delete' || event.key === 'Backspace') {
        this.widths.delete(column.id);
        this.applyWidths();
      } else return;
      event.preventDefault();
      event.stopPropagation();
      changed();
    });
    return cell;
  }

  /** The grid tracks: a resized column is fixed, the others keep their default (often flexible) size. */
  private applyWidths(): void {
    const template = this.columns.map((c) => (this.widths.has(c.id) ? `${this.widths.get(c.id)}px` : c.width)).join(' ');
    this.header.style.gridTemplateColumns = template;
    this.body.style.setProperty('--vt-columns', template);
    // Rows are at least as wide as the fixed widths plus the minimum of the flexible columns: wide
    // columns make the table scroll sideways rather than squeeze the others to nothing.
    const em = parseFloat(getComputedStyle(this.element).fontSize) || 13;
    const minimum = this.columns.reduce((sum, c) => sum + (this.widths.get(c.id) ?? minimumEms(c.width) * em), 0);
    this.element.style.setProperty('--vt-min-width', `${Math.ceil(minimum)}px`);
  }

  /** Marks the sorted column (aria-sort and an arrow); other columns are unmarked. */
  setSort(columnId: string, direction: 'asc' | 'desc'): void {
    for (const cell of this.header.querySelectorAll<HTMLElement>('[data-column]')) {
      const column = this.columns.find((c) => c.id === cell.dataset.column)!;
      const sorted = cell.dataset.column === columnId;
      if (sorted) cell.setAttribute('aria-sort', direction === 'asc' ? 'ascending' : 'descending');
      else cell.removeAttribute('aria-sort');
      const title = cell.querySelector('.vt-title');
      if (title) title.textContent = sorted ? `${column.title} ${direction === 'asc' ? '▲' : '▼'}` : column.title;
    }
  }

  /** Shows the last rows (follow mode), keeping the selection where it is. */
  scrollToEnd(): void {
    this.scrollTo(this.maxTop());
  }

  /** Puts the view back where it was (a restored tab): first visible row and selection. */
  restore(top: number, selected: number): void {
    if (selected >= 0 && selected < this.rowCount) this.select(selected);
    this.scrollTo(top);
  }

  private renderRow(index: number): HTMLElement {
    const row = this.options.getRow(index);
    const attributes: Record<string, string> = { class: 'vt-row', role: 'row', 'aria-rowindex': String(index + 2), 'data-index': String(index) };
    if (index === this.selected) {
      attributes.class += ' selected';
      attributes['aria-selected'] = 'true';
    }
    if (!row) return el('div', attributes, el('div', { class: 'vt-cell loading', role: 'gridcell' }, '…'));
    if (row.mark) {
      attributes.class += ` mark-${row.mark}`;
      attributes.title = row.detectors.join('\n');
    }
    return el('div', attributes, ...this.columns.map((column) => el('div', { class: 'vt-cell', role: 'gridcell', ...(column.tooltip ? { title: column.tooltip(row) } : {}) }, column.value(row))));
  }

  private visibleRows(): number {
    return Math.max(1, Math.floor(this.body.clientHeight / ROW_HEIGHT));
  }

  private maxTop(): number {
    return Math.max(0, this.rowCount - this.visibleRows());
  }

  private scrollTo(top: number): void {
    this.top = Math.max(0, Math.min(Math.round(top), this.maxTop()));
    this.render();
    this.options.onViewChange(this.top, this.selected);
  }

  private select(index: number): void {
    if (this.rowCount === 0) return;
    this.selected = Math.max(0, Math.min(index, this.rowCount - 1));
    this.options.onSelect(this.selected);
    const visible = this.visibleRows();
    if (this.selected < this.top) this.top = this.selected;
    else if (this.selected >= this.top + visible) this.top = this.selected - visible + 1;
    this.scrollTo(this.top);
  }

  private renderScrollbar(visible: number): void {
    const trackHeight = this.track.clientHeight;
    const hidden = this.rowCount <= visible;
    this.track.classList.toggle('hidden', hidden);
    if (hidden || trackHeight === 0) return;
    const thumbHeight = Math.max(MIN_THUMB, (trackHeight * visible) / this.rowCount);
    this.thumb.style.height = `${thumbHeight}px`;
    this.thumb.style.transform = `translateY(${(this.top / this.maxTop()) * (trackHeight - thumbHeight)}px)`;
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    // Sideways (a trackpad, or Shift+wheel) scrolls the columns.
    if (Math.abs(event.deltaX) > Math.abs(event.deltaY) || (event.shiftKey && event.deltaX === 0)) {
      this.body.scrollLeft += event.deltaX || event.deltaY;
      return;
    }
    const pixels = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * ROW_HEIGHT : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? event.deltaY * this.body.clientHeight : event.deltaY;
    this.wheelRemainder += pixels;
    const rows = Math.trunc(this.wheelRemainder / ROW_HEIGHT);
    if (rows === 0) return;
    this.wheelRemainder -= rows * ROW_HEIGHT;
    this.scrollTo(this.top + rows);
  }

  private onKey(event: KeyboardEvent): void {
    // Keys on a column's resize handle are its own.
    if ((event.target as HTMLElement).closest('.vt-resize')) return;
    const page = this.visibleRows() - 1;
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) this.select(this.selected + moves[event.key]!);
    else if (event.key === 'Home') this.select(0);
    else if (event.key === 'End') this.select(this.rowCount - 1);
    else if (event.key === 'Enter' && this.selected >= 0) this.activate(this.selected);
    else if (event.key === 'Escape' && this.selected >= 0) this.clearSelection();
    else if (event.key === 'Escape' || ((event.ctrlKey || event.metaKey) && event.key === 'c' && this.selected >= 0)) this.options.onKey(event.key === 'Escape' ? 'escape' : 'copy', this.selected);
    else return;
    event.preventDefault();
  }

  private onClick(event: MouseEvent, activate: boolean): void {
    const rowElement = (event.target as HTMLElement).closest<HTMLElement>('.vt-row');
    if (!rowElement) return;
    const index = Number(rowElement.dataset.index);
    this.element.focus();
    this.select(index);
    if (activate) this.activate(index);
  }

  private activate(index: number): void {
    const row = this.options.getRow(index);
    if (row) this.options.onActivate(index, row);
  }

  /** Click on the track pages; dragging the thumb moves proportionally through all rows. */
  private onTrackPointer(event: PointerEvent): void {
    event.preventDefault();
    const trackTop = this.track.getBoundingClientRect().top;
    const thumbHeight = this.thumb.offsetHeight;
    const usable = Math.max(1, this.track.clientHeight - thumbHeight);
    if (event.target !== this.thumb) {
      const thumbTop = (this.top / Math.max(1, this.maxTop())) * usable;
      this.scrollTo(this.top + (event.clientY - trackTop < thumbTop ? -1 : 1) * (this.visibleRows() - 1));
      return;
    }
    const grabOffset = event.clientY - this.thumb.getBoundingClientRect().top;
    this.thumb.setPointerCapture(event.pointerId);
    const move = (moveEvent: PointerEvent) => this.scrollTo(((moveEvent.clientY - trackTop - grabOffset) / usable) * this.maxTop());
    const up = () => {
      this.thumb.removeEventListener('pointermove', move);
      this.thumb.removeEventListener('pointerup', up);
    };
    this.thumb.addEventListener('pointermove', move);
    this.thumb.addEventListener('pointerup', up);
  }
}

function clampWidth(width: number): number {
  return Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, Math.round(width)));
}

/** The smallest size of a default track: `17em` or `minmax(10em, 2fr)` -> 17 or 10. */
function minimumEms(track: string): number {
  const match = /^(?:minmax\()?([\d.]+)em/.exec(track);
  return match ? Number(match[1]) : 0;
}
