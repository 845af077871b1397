import type { ViewerEventResult } from '../../../server/src/protocol/logViewerPage';
import { counted } from '../../../server/src/protocol/wording';
import { el } from './dom';
import { jsonView } from './jsonView';
import type { Dock } from './layout';
import { vscodeApi } from './vscodeApi';

/** Waits this long after the last selection change, so holding an arrow key does not flood requests. */
const SELECT_DEBOUNCE_MS = 60;

export interface DetailsPaneActions {
  /** The close button or Esc in the pane: the selection goes, and the table gets the space back. */
  close(): void;
  /** The user docked the pane at the right or the bottom. */
  dock(dock: Dock): void;
  /** The whole event of a row, secrets redacted unless `reveal`. */
  fetchEvent(position: number, reveal: boolean): Promise<ViewerEventResult>;
  /** The event could not be fetched (a ClickHouse server went away). */
  failed(error: Error): void;
}

/**
 * The selected event in full: redacted JSON first, with reveal, copy and open-raw actions. Shown only
 * while a row is selected; its bar docks it right or at the bottom and closes it.
 */
export class DetailsPane {
  private readonly title = el('h2', { id: 'details-title' });
  private readonly dockButtons: Record<Dock, HTMLButtonElement> = {
    right: el('button', { type: 'button', id: 'details-dock-right', class: 'secondary', 'aria-pressed': 'true', title: 'Dock the details right of the table' }, 'Right'),
    bottom: el('button', { type: 'button', id: 'details-dock-bottom', class: 'secondary', 'aria-pressed': 'false', title: 'Dock the details below the table' }, 'Bottom'),
  };
  private readonly closeButton = el('button', { type: 'button', id: 'details-close', class: 'secondary icon', 'aria-label': 'Close the details (Esc)', title: 'Close the details (Esc)' }, '✕');
  private readonly body = el('div', { class: 'details-body' });
  readonly element = el(
    'aside',
    { id: 'details', class: 'details', 'aria-label': 'Event details', hidden: '' },
    el('div', { class: 'details-bar' }, this.title, el('div', { class: 'dock-choice', role: 'group', 'aria-label': 'Dock the details' }, el('span', { class: 'hint' }, 'Dock:'), this.dockButtons.right, this.dockButtons.bottom), this.closeButton),
    this.body,
  );
  /** The request whose answer the pane waits for: a newer one (another row, reveal) makes older answers moot. */
  private asked: Promise<ViewerEventResult> | undefined;
  private index = -1;
  private revealed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: ViewerEventResult | undefined;
  /** Whether the rows come from a file that "Open line" can show (not a ClickHouse table). */
  fromFile = true;

  constructor(private readonly actions: DetailsPaneActions) {
    for (const [dock, button] of Object.entries(this.dockButtons) as [Dock, HTMLButtonElement][]) button.addEventListener('click', () => actions.dock(dock));
    this.closeButton.addEventListener('click', () => actions.close());
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      actions.close();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Marks the dock the pane is in. */
  setDock(dock: Dock): void {
    for (const [which, button] of Object.entries(this.dockButtons)) button.setAttribute('aria-pressed', String(which === dock));
  }

  /** The JSON shown for `index`, if that is the row on display (for Ctrl+C on the table). */
  jsonOf(index: number): string | undefined {
    return index === this.index ? this.current?.json : undefined;
  }

  /** Forgets the shown event and hides the pane (no row is selected). */
  clear(): void {
    clearTimeout(this.timer);
    this.asked = undefined;
    this.index = -1;
    this.current = undefined;
    this.element.hidden = true;
    this.body.replaceChildren();
  }

  show(index: number): void {
    this.element.hidden = false;
    if (index === this.index) return;
    this.index = index;
    this.title.textContent = 'Loading the request…';
    this.revealed = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request(), SELECT_DEBOUNCE_MS);
  }

  private request(): void {
    const asked = this.actions.fetchEvent(this.index, this.revealed);
    this.asked = asked;
    asked.then(
      (event) => {
        if (this.asked !== asked) return;
        this.current = event;
        this.render(event);
      },
      (error: Error) => this.asked === asked && this.actions.failed(error),
    );
  }

  private render(message: ViewerEventResult): void {
    const actions = el('div', { class: 'details-actions' });
    if (message.redactions > 0 || this.revealed) {
      const reveal = el('button', { type: 'button', id: 'reveal-secrets' }, this.revealed ? 'Hide secrets' : `Reveal ${counted(message.redactions, 'secret value')}`);
      reveal.addEventListener('click', () => {
        this.revealed = !this.revealed;
        this.request();
      });
      actions.append(reveal);
    }
    const line = message.line;
    const openLine = el('button', { type: 'button', id: 'open-raw-line' }, line === null ? 'Open raw' : `Open line ${line}`);
    openLine.addEventListener('click', () => vscodeApi.postMessage(line === null ? { type: 'openRaw' } : { type: 'openRaw', line }));
    const copy = el('button', { type: 'button', id: 'copy-json' }, 'Copy as JSON');
    copy.addEventListener('click', () => this.current && vscodeApi.postMessage({ type: 'copy', text: this.current.json }));
    actions.append(...(this.fromFile ? [openLine] : []), copy);
    const note = message.redactions > 0 ? el('p', { class: 'hint' }, `${counted(message.redactions, 'secret value')} hidden.`) : el('span');
    const detections = message.detections.map((d) =>
      el(
        'li',
        { class: `detection severity-${d.outcome === 'unknown' ? 'unknown' : d.severity}` },
        el('strong', {}, `${d.outcome === 'unknown' ? 'unknown (needs Request level)' : d.severity}: ${d.title}`),
        el('p', {}, d.description),
        el('p', { class: 'hint' }, `Remediation: ${d.remediation}`),
        el('p', { class: 'hint' }, d.references.join(' · ')),
      ),
    );
    const detectionList = detections.length > 0 ? el('ul', { id: 'details-detections', class: 'detections' }, ...detections) : el('span');
    const words = el('div', { id: 'details-summary', class: 'details-summary' }, ...message.summary.map((line) => el('div', {}, line)));
    if (message.command) words.append(el('div', { id: 'details-command', class: 'command' }, `command: ${message.command}`));
    // The other stages (RequestReceived, ResponseStarted...) folded below the most complete one.
    const stages: HTMLElement[] = message.otherStages.map(({ stage, json }) => el('details', { class: 'stage' }, el('summary', {}, `${stage} stage`), jsonView(json)));
    if (message.stagesPartial) stages.push(el('p', { class: 'hint' }, 'Stages logged between the first and the last one are not shown: they are too far apart in the log.'));
    const stageList = stages.length > 0 ? el('div', { id: 'details-stages' }, ...stages) : el('span');
    this.title.textContent = this.fromFile ? `Request at line ${message.line ?? '?'}` : 'Request';
    this.body.replaceChildren(words, actions, detectionList, note, jsonView(message.json, 'details-json'), stageList);
  }
}
