import { el } from './dom';

const MAX_HISTORY = 50;

/**
 * The one filter of the viewer: a query in the same language as the CLI and the detectors. Enter runs
 * it, Up/Down walk the history, an error is shown under the text with a caret at its position.
 */
export class QueryBar {
  readonly input = el('input', {
    id: 'query',
    type: 'text',
    spellcheck: 'false',
    'aria-label': 'Filter query',
    placeholder: 'Filter: verb:create resource:pods/exec -user:system:*   (Enter to run, / to focus)',
  });
  private readonly message = el('div', { id: 'query-message', class: 'query-message', role: 'status' });
  readonly element = el('div', { class: 'query-bar' }, this.input, this.message);
  private history: string[] = [];
  /** Counts answers, so that a reader (a person's screen reader, or a test) can tell a new one arrived. */
  private answers = 0;
  private historyIndex = -1;

  constructor(private readonly run: (query: string) => void) {
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        this.remember(this.input.value);
        this.run(this.input.value);
      } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
        this.walkHistory(event.key === 'ArrowUp' ? 1 : -1);
      } else if (event.key === 'Escape' && this.input.value !== '') {
        this.set('');
        this.run('');
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  get value(): string {
    return this.input.value;
  }

  /** Replaces the query text and runs it (facet and detector clicks edit the query this way). */
  set(query: string, run = false): void {
    this.input.value = query;
    if (run) {
      this.remember(query);
      this.run(query);
    }
  }

  showError(query: string, error: { offset: number; length: number; message: string }): void {
    this.input.setAttribute('aria-invalid', 'true');
    this.message.dataset.answers = String(++this.answers);
    const caret = `${' '.repeat(error.offset)}${'^'.repeat(Math.max(1, error.length))}`;
    this.message.replaceChildren(el('span', { class: 'query-error' }, `${error.message} (column ${error.offset + 1})`), el('pre', { class: 'query-caret' }, `${query}\n${caret}`));
  }

  showResult(text: string): void {
    this.input.removeAttribute('aria-invalid');
    this.message.dataset.answers = String(++this.answers);
    this.message.replaceChildren(el('span', {}, text));
  }

  private remember(query: string): void {
    if (query.trim() === '' || this.history[0] === query) return;
    this.history = [query, ...this.history.filter((entry) => entry !== query)].slice(0, MAX_HISTORY);
    this.historyIndex = -1;
  }

  private walkHistory(step: number): void {
    const next = Math.max(-1, Math.min(this.history.length - 1, this.historyIndex + step));
    this.historyIndex = next;
    this.input.value = next < 0 ? '' : this.history[next]!;
  }
}

/** `field:value` (or `-field:value`) in the query language, quoting what needs it. */
export function term(field: string, value: string, exclude: boolean): string {
  const literal = value.replace(/[\\"*]/g, (c) => `\\${c}`);
  const quoted = literal === '' || /[\s():"]/.test(literal) ? `"${literal}"` : literal;
  return `${exclude ? '-' : ''}${field}:${quoted}`;
}
