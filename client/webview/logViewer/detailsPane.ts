import type { ToWebviewMessage } from '../../src/auditLog/protocol';
import { el } from './dom';
import { jsonView } from './jsonView';
import { vscodeApi } from './vscodeApi';

type EventMessage = Extract<ToWebviewMessage, { type: 'event' }>;

/** Waits this long after the last selection change, so holding an arrow key does not flood requests. */
const SELECT_DEBOUNCE_MS = 60;

/** The selected event in full: redacted JSON first, with reveal, copy and open-raw actions. */
export class DetailsPane {
  readonly element = el('aside', { id: 'details', class: 'details', 'aria-label': 'Event details' }, el('p', { class: 'hint' }, 'Select a row to see the whole event.'));
  private requestId = 0;
  private index = -1;
  private revealed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: EventMessage | undefined;

  /** The JSON shown for `index`, if that is the row on display (for Ctrl+C on the table). */
  jsonOf(index: number): string | undefined {
    return index === this.index ? this.current?.json : undefined;
  }

  /** Forget the shown event (the result changed under it). */
  clear(): void {
    this.index = -1;
    this.current = undefined;
    this.element.replaceChildren(el('p', { class: 'hint' }, 'Select a row to see the whole event.'));
  }

  show(index: number): void {
    if (index === this.index) return;
    this.index = index;
    this.revealed = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request(), SELECT_DEBOUNCE_MS);
  }

  receive(message: EventMessage): void {
    if (message.requestId !== this.requestId) return;
    this.current = message;
    this.render(message);
  }

  private request(): void {
    this.requestId++;
    vscodeApi.postMessage({ type: 'getEvent', requestId: this.requestId, position: this.index, reveal: this.revealed });
  }

  private render(message: EventMessage): void {
    const actions = el('div', { class: 'details-actions' });
    if (message.redactions > 0 || this.revealed) {
      const reveal = el('button', { type: 'button', id: 'reveal-secrets' }, this.revealed ? 'Hide secrets' : `Reveal ${message.redactions} secret value(s)`);
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
    actions.append(openLine, copy);
    const note = message.redactions > 0 ? el('p', { class: 'hint' }, `${message.redactions} secret value(s) hidden.`) : el('span');
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
    this.element.replaceChildren(el('h2', {}, `Request at line ${message.line ?? '?'}`), words, actions, detectionList, note, jsonView(message.json, 'details-json'), stageList);
  }
}
