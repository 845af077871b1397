import type { ViewerCompletion, ViewerCompletionItem } from '../../../server/src/protocol/logViewerPage';
import { CompletionList } from './completionList';
import { el } from './dom';

const MAX_HISTORY = 50;
/** Typing pauses this long before completion is asked for. */
const COMPLETION_DELAY_MS = 80;

/**
 * The one filter of the viewer: a query in the same language as the CLI and the detectors. Enter runs
 * it, Up/Down walk the history, an error is shown under the text with a caret at its position.
 * While typing (or on Ctrl+Space) a list suggests fields, keywords and the log's values of a field:
 * Up/Down move in it, Enter/Tab/click accept, Escape closes it (a second Escape clears the query).
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
  private readonly completions = new CompletionList(this.input, (item, from, to) => this.acceptCompletion(item, from, to));
  readonly element = el('div', { class: 'query-bar' }, this.input, this.completions.element, this.message);
  private history: string[] = [];
  /** Counts answers, so that a reader (a person's screen reader, or a test) can tell a new one arrived. */
  private answers = 0;
  private historyIndex = -1;
  /** The completion asked for last (older answers, or answers for another text, are dropped). */
  private pendingCompletion: { text: string; cursor: number } | undefined;
  private completionTimer: ReturnType<typeof setTimeout> | undefined;

  /** `complete` asks for completion of the word at `cursor`. */
  constructor(
    private readonly run: (query: string) => void,
    private readonly complete: (text: string, cursor: number) => Promise<ViewerCompletion>,
  ) {
    this.input.addEventListener('keydown', (event) => {
      if (this.completions.isOpen && this.listKey(event)) {
        event.preventDefault();
        return;
      }
      if (event.ctrlKey && (event.key === ' ' || event.code === 'Space')) {
        this.requestCompletion();
      } else if (event.key === 'Enter') {
        this.cancelCompletion();
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
    this.input.addEventListener('input', () => {
      // The list's range is for the text before this edit: it comes back with the next answer.
      this.completions.close();
      clearTimeout(this.completionTimer);
      if (this.input.value.trim() === '') {
        this.cancelCompletion();
        return;
      }
      this.completionTimer = setTimeout(() => this.requestCompletion(), COMPLETION_DELAY_MS);
    });
    this.input.addEventListener('blur', () => this.cancelCompletion());
    this.input.addEventListener('click', () => this.cancelCompletion());
  }

  /** Keys while the list is open; false for keys it leaves to the bar (Enter on an item the text already has runs the query). */
  private listKey(event: KeyboardEvent): boolean {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        this.completions.move(event.key === 'ArrowDown' ? 1 : -1);
        return true;
      case 'Escape':
        this.cancelCompletion();
        return true;
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'Home':
      case 'End':
        // The cursor leaves the word: the list goes (Ctrl+Space brings it back where the cursor is).
        this.cancelCompletion();
        return false;
      case 'Enter':
      case 'Tab': {
        const current = this.completions.current();
        if (current?.unchanged) {
          this.cancelCompletion();
          return event.key === 'Tab';
        }
        this.completions.accept();
        return true;
      }
      default:
        return false;
    }
  }

  private requestCompletion(): void {
    clearTimeout(this.completionTimer);
    const text = this.input.value;
    const cursor = this.input.selectionStart ?? text.length;
    const pending = { text, cursor };
    this.pendingCompletion = pending;
    // A failed completion shows no list: the caller says why.
    this.complete(text, cursor).then((completion) => this.showCompletions(pending, completion), () => undefined);
  }

  private cancelCompletion(): void {
    clearTimeout(this.completionTimer);
    this.pendingCompletion = undefined;
    this.completions.close();
  }

  /** An answer to `complete`: shown when it is for the text and cursor as they are now. */
  private showCompletions(pending: { text: string; cursor: number }, completion: ViewerCompletion): void {
    if (this.pendingCompletion !== pending) return;
    this.pendingCompletion = undefined;
    if (pending.text !== this.input.value || pending.cursor !== (this.input.selectionStart ?? pending.text.length)) return;
    if (document.activeElement !== this.input) return;
    this.completions.show(completion);
  }

  private acceptCompletion(item: ViewerCompletionItem, from: number, to: number): void {
    const text = this.input.value;
    this.input.value = text.slice(0, from) + item.insert + text.slice(to);
    const cursor = from + item.insert.length;
    this.input.setSelectionRange(cursor, cursor);
    // A field goes on with its values (a JSON path starter with keys the index does not know).
    if (item.kind !== 'value' && !item.insert.endsWith('.')) this.requestCompletion();
  }

  get value(): string {
    return this.input.value;
  }

  /** Replaces the query text and runs it (facet and detector clicks edit the query this way). */
  set(query: string, run = false): void {
    this.cancelCompletion();
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

  /** A problem that is not the answer to a query (rows or counts could not be fetched): said where answers are. */
  showProblem(text: string): void {
    this.message.replaceChildren(el('span', { class: 'query-error' }, text));
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
