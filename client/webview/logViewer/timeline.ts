import type { ViewerTimeline } from '../../../server/src/protocol/logViewerPage';
import { counted } from '../../../server/src/protocol/wording';
import { el } from './dom';

const HEIGHT = 48;

/**
 * Status classes, stacked from the bottom of each bar, with the theme colour each is drawn in (the
 * legend's swatches use the same variables in style.css). Detections are marked above the bars.
 */
const CLASSES = [
  { key: 'ok', label: '2xx', color: '--vscode-charts-green', fallback: '#388a34' },
  { key: 'other', label: '3xx/other', color: '--vscode-charts-blue', fallback: '#3794ff' },
  { key: 'clientError', label: '4xx', color: '--vscode-charts-yellow', fallback: '#cca700' },
  { key: 'serverError', label: '5xx', color: '--vscode-charts-red', fallback: '#f14c4c' },
] as const;
const DETECTION = { label: 'detections', color: '--vscode-charts-purple', fallback: '#b180d7' };

/**
 * Requests of the current result over time: a bar per bucket, stacked by status class (2xx, 3xx and
 * other, 4xx, 5xx), detections marked above. Dragging across it selects a time range, which the
 * viewer turns into after:/before: terms of the query. Hovering or the arrow keys (it is focusable)
 * tell a bar's counts; Enter filters to the focused bar. Drawn on a canvas: no log text is involved.
 */
export class Timeline {
  readonly canvas = el('canvas', { id: 'timeline', class: 'timeline', height: String(HEIGHT), role: 'img', tabindex: '0', 'aria-label': 'Requests over time; drag to filter a time range' });
  private readonly label = el('span', { id: 'timeline-range', class: 'timeline-range' });
  /** The counts of the bar under the pointer or focused with the keys. */
  private readonly bucketText = el('span', { id: 'timeline-bucket', class: 'timeline-bucket', 'aria-live': 'polite' });
  private readonly legend = el(
    'span',
    { class: 'timeline-legend', 'aria-hidden': 'true' },
    ...[...CLASSES, DETECTION].map((item) => el('span', { class: 'legend-item' }, el('span', { class: `legend-swatch swatch-${item.color.slice('--vscode-charts-'.length)}` }), item.label)),
  );
  readonly element = el('div', { class: 'timeline-box' }, this.canvas, el('div', { class: 'timeline-footer' }, this.label, this.legend, this.bucketText));
  private data: ViewerTimeline | undefined;
  private drag: { from: number; to: number } | undefined;
  /** The bar the keys move over (-1: none). */
  private focused = -1;

  constructor(private readonly onRange: (after: Date, before: Date) => void) {
    this.canvas.addEventListener('pointerleave', () => {
      if (this.focused < 0) this.bucketText.textContent = '';
    });
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    this.canvas.addEventListener('blur', () => {
      this.focused = -1;
      this.draw();
    });
    this.canvas.addEventListener('pointerdown', (event) => {
      this.canvas.setPointerCapture(event.pointerId);
      this.drag = { from: event.offsetX, to: event.offsetX };
      this.draw();
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!this.drag) {
        const bucket = this.bucketAt(event.offsetX);
        const text = bucket < 0 ? '' : this.describe(bucket);
        this.canvas.title = text;
        this.bucketText.textContent = text;
        return;
      }
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
    if (this.focused >= data.requests.length) this.focused = -1;
    const sum = (counts: readonly number[]) => counts.reduce((total, count) => total + count, 0);
    const classes = CLASSES.map((c) => `${c.label} ${sum(data.status[c.key]).toLocaleString('en-US')}`).join(', ');
    this.canvas.setAttribute(
      'aria-label',
      `Requests over time: ${sum(data.requests).toLocaleString('en-US')} (${classes}), ${sum(data.detections).toLocaleString('en-US')} with detections. ` +
        'Drag to filter a time range; Left and Right arrows read the bars, Enter filters to one.',
    );
    if (this.focused >= 0) this.bucketText.textContent = this.describe(this.focused);
    this.draw();
  }

  /** A bar's time range and counts in words. */
  describe(bucket: number): string {
    const data = this.data;
    if (!data || bucket < 0 || bucket >= data.requests.length) return '';
    const from = new Date(data.start + bucket * data.bucketMs).toISOString();
    const to = new Date(data.start + (bucket + 1) * data.bucketMs).toISOString();
    const classes = CLASSES.map((c) => `${c.label} ${data.status[c.key][bucket]!.toLocaleString('en-US')}`).join(', ');
    return `${from} — ${to}: ${counted(data.requests[bucket]!, 'request')} (${classes}), ${data.detections[bucket]!.toLocaleString('en-US')} with detections`;
  }

  private bucketAt(x: number): number {
    const data = this.data;
    const width = this.canvas.clientWidth;
    if (!data || data.requests.length === 0 || width === 0) return -1;
    return Math.max(0, Math.min(data.requests.length - 1, Math.floor((x / width) * data.requests.length)));
  }

  private onKey(event: KeyboardEvent): void {
    const data = this.data;
    if (!data || data.requests.length === 0) return;
    const last = data.requests.length - 1;
    if (event.key === 'ArrowLeft') this.focused = this.focused < 0 ? last : Math.max(0, this.focused - 1);
    else if (event.key === 'ArrowRight') this.focused = this.focused < 0 ? 0 : Math.min(last, this.focused + 1);
    else if (event.key === 'Home') this.focused = 0;
    else if (event.key === 'End') this.focused = last;
    else if (event.key === 'Enter' && this.focused >= 0) {
      const start = data.start + this.focused * data.bucketMs;
      this.onRange(new Date(start), new Date(start + data.bucketMs));
    } else return;
    event.preventDefault();
    this.bucketText.textContent = this.describe(this.focused);
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
      const fills = CLASSES.map((c) => color(c.color, c.fallback));
      data.requests.forEach((_count, i) => {
        const x = i * barWidth;
        // Stacked from the bottom: 2xx, 3xx/other, 4xx, 5xx.
        let y = HEIGHT;
        CLASSES.forEach((c, k) => {
          const h = (data.status[c.key][i]! / max) * plot;
          if (h <= 0) return;
          context.fillStyle = fills[k]!;
          context.fillRect(x, y - h, Math.max(1, barWidth - 1), h);
          y -= h;
        });
        if (data.detections[i]! > 0) {
          context.fillStyle = color(DETECTION.color, DETECTION.fallback);
          context.fillRect(x, 0, Math.max(2, barWidth - 1), 5);
        }
      });
      if (this.focused >= 0) {
        context.strokeStyle = color('--vscode-focusBorder', '#007fd4');
        context.lineWidth = 1;
        context.strokeRect(this.focused * barWidth + 0.5, 0.5, Math.max(2, barWidth - 1), HEIGHT - 1);
      }
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
