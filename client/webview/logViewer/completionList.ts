import type { ViewerCompletion, ViewerCompletionItem } from '../../../server/src/protocol/logViewerPage';
import { el } from './dom';

const LIST_ID = 'query-completions';

/**
 * The suggestion list of the query bar: an ARIA listbox under the input, which becomes its combobox.
 * Focus stays in the input; the active option is named by aria-activedescendant. Labels and details
 * are log text, set as text only.
 */
export class CompletionList {
  private readonly list = el('ul', { id: LIST_ID, class: 'query-completions', role: 'listbox', 'aria-label': 'Suggestions' });
  /** A zero-height anchor right under the input: the list floats from it over what follows. */
  readonly element = el('div', { class: 'query-completions-anchor' }, this.list);
  private items: ViewerCompletionItem[] = [];
  private range = { from: 0, to: 0 };
  private active = -1;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly onAccept: (item: ViewerCompletionItem, from: number, to: number) => void,
  ) {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', LIST_ID);
    input.setAttribute('aria-expanded', 'false');
    this.list.hidden = true;
    // A click on an option must not take the focus from the input.
    this.list.addEventListener('mousedown', (event) => event.preventDefault());
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  show(completion: ViewerCompletion): void {
    if (completion.items.length === 0) {
      this.close();
      return;
    }
    this.items = completion.items;
    this.range = { from: completion.from, to: completion.to };
    this.list.replaceChildren(
      ...completion.items.map((item, i) => {
        const option = el(
          'li',
          { id: `${LIST_ID}-${i}`, role: 'option', class: `completion completion-${item.kind}`, 'aria-selected': 'false' },
          el('span', { class: 'completion-label' }, item.label),
          ...(item.detail ? [el('span', { class: 'completion-detail' }, item.detail)] : []),
        );
        option.addEventListener('mousemove', () => {
          if (this.active !== i) this.setActive(i);
        });
        option.addEventListener('click', () => this.accept(i));
        return option;
      }),
    );
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.setActive(0);
  }

  close(): void {
    if (!this.isOpen) return;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.items = [];
    this.active = -1;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  move(step: number): void {
    if (this.items.length === 0) return;
    this.setActive((this.active + step + this.items.length) % this.items.length);
  }

  /** The active item, and whether accepting it would change nothing (the text already has it). */
  current(): { item: ViewerCompletionItem; unchanged: boolean } | undefined {
    const item = this.items[this.active];
    if (!item) return undefined;
    return { item, unchanged: this.input.value.slice(this.range.from, this.range.to) === item.insert };
  }

  accept(index = this.active): void {
    const item = this.items[index];
    if (!item) return;
    const { from, to } = this.range;
    this.close();
    this.onAccept(item, from, to);
  }

  private setActive(index: number): void {
    const options = this.list.children;
    options[this.active]?.setAttribute('aria-selected', 'false');
    this.active = index;
    const option = options[index];
    if (!option) return;
    option.setAttribute('aria-selected', 'true');
    this.input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  }
}
