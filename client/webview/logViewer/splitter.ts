import { el } from './dom';

/** Arrow keys move an edge by this many CSS pixels, with Shift by the larger step (column edges too). */
export const KEY_STEP = 10;
export const KEY_STEP_LARGE = 50;

export interface SplitterOptions {
  id: string;
  /** What the edge resizes, for screen readers: "Resize the details". */
  label: string;
  /** The size the edge controls now, in px (as drawn). */
  size(): number;
  /** Sets that size (the owner clamps it). */
  resize(size: number): void;
  /** The smallest and largest size the pane can have now, in px (for screen readers). */
  range(): { min: number; max: number };
  /**
   * Which way the pane lies: 'before' when it is left of (or above) the edge, so moving the edge right
   * or down grows it; 'after' when it is right of (or below) the edge.
   */
  pane: 'before' | 'after';
  /** After a drag or a key press: the size is final (remember it). */
  onResized(): void;
}

/**
 * The edge between two panes: drag it, or focus it and use the arrow keys (Shift: larger steps).
 * A vertical edge (panes side by side) moves with Left/Right, a horizontal one with Up/Down.
 */
export class Splitter {
  readonly element: HTMLElement;
  private orientation: 'vertical' | 'horizontal' = 'vertical';

  constructor(private readonly options: SplitterOptions) {
    this.element = el('div', {
      id: options.id,
      class: 'splitter',
      role: 'separator',
      tabindex: '0',
      'aria-label': options.label,
      title: `${options.label}: drag, or use the arrow keys (Shift: larger steps)`,
    });
    this.setOrientation('vertical');
    this.element.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('focus', () => this.describeValue());
  }

  /** aria-valuenow/min/max: the pane's size in px and its limits now. */
  private describeValue(): void {
    const { min, max } = this.options.range();
    this.element.setAttribute('aria-valuemin', String(Math.round(min)));
    this.element.setAttribute('aria-valuemax', String(Math.round(Math.max(min, max))));
    this.element.setAttribute('aria-valuenow', String(Math.round(this.options.size())));
  }

  setOrientation(orientation: 'vertical' | 'horizontal'): void {
    this.orientation = orientation;
    this.element.setAttribute('aria-orientation', orientation);
    this.element.classList.toggle('vertical', orientation === 'vertical');
    this.element.classList.toggle('horizontal', orientation === 'horizontal');
  }

  /** +1 when moving the edge right or down grows the pane. */
  private get sign(): number {
    return this.options.pane === 'before' ? 1 : -1;
  }

  private resizeBy(delta: number, from = this.options.size()): void {
    this.options.resize(from + this.sign * delta);
    this.describeValue();
  }

  private onKey(event: KeyboardEvent): void {
    const [back, forward] = this.orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    if (event.key !== back && event.key !== forward) return;
    event.preventDefault();
    event.stopPropagation();
    const step = event.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    this.resizeBy(event.key === forward ? step : -step);
    this.options.onResized();
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    event.preventDefault();
    this.element.setPointerCapture(event.pointerId);
    this.element.classList.add('dragging');
    const position = (e: PointerEvent) => (this.orientation === 'vertical' ? e.clientX : e.clientY);
    const start = position(event);
    const startSize = this.options.size();
    const move = (moveEvent: PointerEvent) => this.resizeBy(position(moveEvent) - start, startSize);
    const end = () => {
      this.element.removeEventListener('pointermove', move);
      this.element.removeEventListener('pointerup', end);
      this.element.removeEventListener('lostpointercapture', end);
      this.element.classList.remove('dragging');
      this.options.onResized();
    };
    this.element.addEventListener('pointermove', move);
    this.element.addEventListener('pointerup', end);
    this.element.addEventListener('lostpointercapture', end);
  }
}
