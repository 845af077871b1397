import type { ViewerTimeline } from '../../src/auditLog/protocol';
import { el } from './dom';

const HEIGHT = 48;

/**
 * Requests of the current result over time: a bar per bucket (errors in a second shade), detections
 * marked above. Dragging across it selects a time range, which the viewer turns into after:/before:
 * terms of the query. Drawn on a canvas: no log text is involved.
 */
export class Timeline {
  readonly canvas = el('canvas', { id: 'timeline', class: 'timeline', height: String(HEIGHT), role: 'img', 'aria-label': 'Requests over time; drag to filter a time range' });
  private readonly label = el('div', { id: 'timeline-range', class: 'timeline-range' });
  readonly element = el('div', { class: 'timeline-box' }, this.canvas, this.label);
  private data: ViewerTimeline | undefined;
  private drag: { from: number; to: number } | undefined;

  constructor(private readonly onRange: (after: Date, before: Date) => void) {
    this.canvas.addEventListener('pointerdown', (event) => {
      this.canvas.setPointerCapture(event.pointerId);
      this.drag = { from: event.offsetX, to: event.offsetX };
      this.draw();
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!this.drag) return;
      this.drag.to = event.offsetX;
      this.draw();
    });
    this.canvas.addEventListener('pointerup', () => this.finishDrag());
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  /** Buckets that fit the current width, about one per 6 pixels. */
  get wantedBuckets(): number {
    return Math.max(10, Math.floor((this.canvas.clientWidth || 600) / 6));
  }

  show(data: ViewerTimeline): void {
    this.data = data;
    const end = data.start + data.requests.length * data.bucketMs;
    this.label.textContent = data.requests.length === 0 ? '' : `${new Date(data.start).toISOString()} — ${new Date(end).toISOString()} · ${formatSpan(data.bucketMs)} per bar`;
    this.draw();
  }

  private finishDrag(): void {
    const drag = this.drag;
    this.drag = undefined;
    const data = this.data;
    if (!drag || !data || data.requests.length === 0 || Math.abs(drag.to - drag.from) < 3) {
      this.draw();
      return;
    }
    const width = this.canvas.clientWidth;
    const total = data.requests.length * data.bucketMs;
    const at = (x: number) => data.start + (Math.max(0, Math.min(width, x)) / width) * total;
    this.onRange(new Date(at(Math.min(drag.from, drag.to))), new Date(at(Math.max(drag.from, drag.to))));
    this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    const width = canvas.clientWidth;
    if (width === 0) return;
    canvas.width = width;
    const context = canvas.getContext('2d');
    if (!context) return;
    const style = getComputedStyle(document.body);
    const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    context.clearRect(0, 0, width, HEIGHT);
    const data = this.data;
    if (data && data.requests.length > 0) {
      const max = Math.max(1, ...data.requests);
      const barWidth = width / data.requests.length;
      const plot = HEIGHT - 8;
      data.requests.forEach((count, i) => {
        const x = i * barWidth;
        const h = (count / max) * plot;
        context.fillStyle = color('--vscode-charts-blue', '#3794ff');
        context.fillRect(x, HEIGHT - h, Math.max(1, barWidth - 1), h);
        const errors = (data.errors[i]! / max) * plot;
        context.fillStyle = color('--vscode-charts-orange', '#d18616');
        context.fillRect(x, HEIGHT - errors, Math.max(1, barWidth - 1), errors);
        if (data.detections[i]! > 0) {
          context.fillStyle = color('--vscode-charts-red', '#f14c4c');
          context.fillRect(x, 0, Math.max(2, barWidth - 1), 5);
        }
      });
    }
    if (this.drag) {
      context.fillStyle = color('--vscode-editor-selectionBackground', 'rgba(38,79,120,0.5)');
      context.globalAlpha = 0.5;
      context.fillRect(Math.min(this.drag.from, this.drag.to), 0, Math.abs(this.drag.to - this.drag.from), HEIGHT);
      context.globalAlpha = 1;
    }
  }
}

function formatSpan(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}
