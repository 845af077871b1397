import { el } from './dom';
import { Splitter } from './splitter';

export type Dock = 'right' | 'bottom';

/** The sizes and places the user chose, kept with the tab's state. */
export interface LayoutState {
  sidebarWidth: number;
  sidebarCollapsed: boolean;
  dock: Dock;
  detailsWidth: number;
  detailsHeight: number;
}

const DEFAULTS: LayoutState = { sidebarWidth: 210, sidebarCollapsed: false, dock: 'right', detailsWidth: 420, detailsHeight: 260 };
/** What each pane keeps at least, so a drag cannot squeeze the table (or the pane) to nothing. */
const MIN_SIDEBAR = 140;
const MIN_DETAILS_WIDTH = 240;
const MIN_DETAILS_HEIGHT = 100;
const MIN_TABLE_WIDTH = 240;
const MIN_TABLE_HEIGHT = 88;

export interface LayoutPanes {
  sidebar: HTMLElement;
  /** The table and what is drawn above it (the stale-result note). */
  table: HTMLElement;
  details: HTMLElement;
}

/**
 * The panes under the filter bar: the side panel (resizable, collapsible), the table, and the details
 * of the selected request docked right of the table or below it (resizable). The table takes whatever
 * width the others leave; the details take none while closed.
 */
export class ViewerLayout {
  private readonly sidebarEdge: Splitter;
  private readonly detailsEdge: Splitter;
  private readonly work: HTMLElement;
  readonly element: HTMLElement;
  private state: LayoutState = { ...DEFAULTS };

  constructor(
    private readonly panes: LayoutPanes,
    /** The user resized a pane. */
    onChange: () => void,
  ) {
    this.sidebarEdge = new Splitter({
      id: 'sidebar-splitter',
      label: 'Resize the side panel',
      pane: 'before',
      size: () => panes.sidebar.getBoundingClientRect().width,
      range: () => ({ min: MIN_SIDEBAR, max: this.room().sidebar }),
      resize: (width) => this.set({ sidebarWidth: width }),
      onResized: onChange,
    });
    this.detailsEdge = new Splitter({
      id: 'details-splitter',
      label: 'Resize the details',
      pane: 'after',
      size: () => (this.state.dock === 'right' ? panes.details.getBoundingClientRect().width : panes.details.getBoundingClientRect().height),
      resize: (size) => this.set(this.state.dock === 'right' ? { detailsWidth: size } : { detailsHeight: size }),
      range: () => (this.state.dock === 'right' ? { min: MIN_DETAILS_WIDTH, max: this.room().detailsWidth } : { min: MIN_DETAILS_HEIGHT, max: this.room().detailsHeight }),
      onResized: onChange,
    });
    this.work = el('div', { class: 'work' }, panes.table, this.detailsEdge.element, panes.details);
    this.element = el('div', { class: 'main' }, panes.sidebar, this.sidebarEdge.element, this.work);
    // The details' edge is there exactly when the details are.
    new MutationObserver(() => (this.detailsEdge.element.hidden = panes.details.hidden)).observe(panes.details, { attributes: true, attributeFilter: ['hidden'] });
    this.detailsEdge.element.hidden = panes.details.hidden;
    // A smaller window may leave less room than the sizes chosen: draw them clamped to what is there.
    new ResizeObserver(() => this.apply()).observe(this.element);
    this.apply();
  }

  get current(): LayoutState {
    return { ...this.state };
  }

  /** Takes saved choices (fields that are missing or not numbers keep their defaults). */
  restore(saved: Partial<LayoutState> | undefined): void {
    const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
    this.state = {
      sidebarWidth: number(saved?.sidebarWidth, DEFAULTS.sidebarWidth),
      sidebarCollapsed: saved?.sidebarCollapsed === true,
      dock: saved?.dock === 'bottom' ? 'bottom' : 'right',
      detailsWidth: number(saved?.detailsWidth, DEFAULTS.detailsWidth),
      detailsHeight: number(saved?.detailsHeight, DEFAULTS.detailsHeight),
    };
    this.apply();
  }

  /** A choice of the user: sizes are kept as drawn (within the room there is now). */
  set(change: Partial<LayoutState>): void {
    const room = this.room();
    if (change.sidebarWidth !== undefined) change.sidebarWidth = clamp(change.sidebarWidth, MIN_SIDEBAR, room.sidebar);
    if (change.detailsWidth !== undefined) change.detailsWidth = clamp(change.detailsWidth, MIN_DETAILS_WIDTH, room.detailsWidth);
    if (change.detailsHeight !== undefined) change.detailsHeight = clamp(change.detailsHeight, MIN_DETAILS_HEIGHT, room.detailsHeight);
    this.state = { ...this.state, ...change };
    this.apply();
  }

  /** The largest size each pane can have now. */
  private room(): { sidebar: number; detailsWidth: number; detailsHeight: number } {
    const mainWidth = this.element.clientWidth || window.innerWidth;
    const sidebarWidth = this.state.sidebarCollapsed ? 0 : this.panes.sidebar.getBoundingClientRect().width;
    const workWidth = this.work.clientWidth || mainWidth - sidebarWidth;
    const workHeight = this.work.clientHeight || window.innerHeight / 2;
    return { sidebar: mainWidth / 2, detailsWidth: workWidth - MIN_TABLE_WIDTH, detailsHeight: workHeight - MIN_TABLE_HEIGHT };
  }

  private apply(): void {
    const { sidebar, details } = this.panes;
    sidebar.hidden = this.state.sidebarCollapsed;
    this.sidebarEdge.element.hidden = this.state.sidebarCollapsed;
    sidebar.style.width = `${clamp(this.state.sidebarWidth, MIN_SIDEBAR, this.room().sidebar)}px`;
    const right = this.state.dock === 'right';
    this.work.classList.toggle('dock-right', right);
    this.work.classList.toggle('dock-bottom', !right);
    this.detailsEdge.setOrientation(right ? 'vertical' : 'horizontal');
    // Measured after the side panel took its width.
    const room = this.room();
    details.style.width = right ? `${clamp(this.state.detailsWidth, MIN_DETAILS_WIDTH, room.detailsWidth)}px` : '';
    details.style.height = right ? '' : `${clamp(this.state.detailsHeight, MIN_DETAILS_HEIGHT, room.detailsHeight)}px`;
  }
}

/** `value` within [min, max]; `min` wins when the room is smaller than it. */
function clamp(value: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(value, max)));
}
