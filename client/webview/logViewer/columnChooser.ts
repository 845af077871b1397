import type { ViewerPathCheck } from '../../../server/src/protocol/logViewerPage';
import { pathColumn, type Column } from './columns';
import { el } from './dom';
import { dropDown } from './dropDown';

export interface ColumnChooserOptions {
  /** Visible columns changed (shown, hidden, moved, added or removed). */
  onChange(visible: string[]): void;
  /** Asks the server whether a text is a column path; the answer comes back through `pathChecked`. */
  checkPath(text: string): void;
  onResetWidths(): void;
}

/**
 * Which columns the table shows and in what order: a checkbox per column and buttons to move it,
 * plus columns for JSON paths of the event the user adds (and can remove).
 * A native <details> element, so it opens and closes with the keyboard like any other control.
 */
export class ColumnChooser {
  readonly element = dropDown(el('details', { id: 'columns', class: 'column-chooser menu' }, el('summary', { class: 'secondary', title: 'Show, hide, order and add columns' }, 'Columns')));
  private readonly list = el('ul', { role: 'list' });
  private order: string[];
  private hidden = new Set<string>();
  /** The built-in columns and the path columns added. */
  private all: Column[];
  private readonly pathInput = el('input', {
    type: 'text',
    id: 'column-path',
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: 'requestObject.spec.containers[].image',
    'aria-describedby': 'column-path-error',
  });
  private readonly pathError = el('p', { id: 'column-path-error', class: 'column-path-error', role: 'alert' });
  /** The text sent to be checked; its answer adds the column. */
  private checking: string | undefined;

  constructor(
    private readonly builtIn: readonly Column[],
    private readonly options: ColumnChooserOptions,
  ) {
    this.all = [...builtIn];
    this.order = builtIn.map((c) => c.id);
    this.hidden = new Set(builtIn.filter((c) => c.hiddenByDefault).map((c) => c.id));
    const form = el(
      'form',
      { class: 'column-path-form' },
      el('label', { for: 'column-path' }, 'Add a column for a JSON path of the event (not sortable):'),
      el('div', { class: 'column-path-row' }, this.pathInput, el('button', { type: 'submit', id: 'column-path-add' }, 'Add')),
      this.pathError,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.checking = this.pathInput.value;
      this.options.checkPath(this.pathInput.value);
    });
    this.pathInput.addEventListener('input', () => this.showPathError(undefined));
    const reset = el('button', { type: 'button', id: 'column-widths-reset', title: 'Give every column its default width again' }, 'Reset widths');
    reset.addEventListener('click', () => this.options.onResetWidths());
    this.element.append(el('div', { class: 'column-chooser-panel menu-panel' }, this.list, form, reset));
    this.renderList();
  }

  /**
   * Restores a saved choice: visible ids in order (columns not listed are hidden) and the path
   * columns added, visible or not.
   */
  restore(visible: readonly string[], paths: readonly string[] = []): void {
    this.all = [...this.builtIn, ...[...new Set(paths)].map(pathColumn)];
    const known = visible.filter((id) => this.all.some((c) => c.id === id));
    this.order = [...known, ...this.all.map((c) => c.id).filter((id) => !known.includes(id))];
    this.hidden = new Set(this.order.filter((id) => !known.includes(id)));
    this.renderList();
  }

  visible(): string[] {
    return this.order.filter((id) => !this.hidden.has(id));
  }

  visibleColumns(): Column[] {
    return this.visible().map((id) => this.all.find((c) => c.id === id)!);
  }

  /** Every path column added (visible or hidden), in column order. */
  paths(): string[] {
    return this.order.map((id) => this.all.find((c) => c.id === id)!.path).filter((path): path is string => path !== undefined);
  }

  /** The server's answer for the path the user entered: add the column, or say what is wrong. */
  pathChecked(result: ViewerPathCheck): void {
    const entered = this.checking;
    this.checking = undefined;
    if (entered === undefined || entered !== this.pathInput.value) return;
    if (!result.ok) {
      this.showPathError(result.error);
      return;
    }
    const column = pathColumn(result.path);
    if (!this.all.some((c) => c.id === column.id)) {
      this.all.push(column);
      this.order.push(column.id);
    }
    this.hidden.delete(column.id);
    this.pathInput.value = '';
    this.showPathError(undefined);
    this.renderList();
    this.options.onChange(this.visible());
  }

  private showPathError(error: { offset: number; length: number; message: string } | undefined): void {
    this.pathError.textContent = error ? `${error.message} (at character ${error.offset + 1})` : '';
    if (!error) {
      this.pathInput.removeAttribute('aria-invalid');
      return;
    }
    this.pathInput.setAttribute('aria-invalid', 'true');
    this.pathInput.focus();
    this.pathInput.setSelectionRange(error.offset, error.offset + Math.max(1, error.length));
  }

  private remove(id: string): void {
    this.all = this.all.filter((c) => c.id !== id);
    this.order = this.order.filter((other) => other !== id);
    this.hidden.delete(id);
    this.renderList();
    this.options.onChange(this.visible());
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...this.order.map((id, position) => {
        const column = this.all.find((c) => c.id === id)!;
        // Path columns' ids hold arbitrary text: their element ids are by position instead.
        const elementId = column.path === undefined ? `column-${id}` : `column-path-${position}`;
        const checkbox = el('input', { type: 'checkbox', id: elementId, 'data-column': id });
        checkbox.checked = !this.hidden.has(id);
        checkbox.addEventListener('change', () => {
          if (checkbox.checked) this.hidden.delete(id);
          else this.hidden.add(id);
          this.options.onChange(this.visible());
        });
        const up = el('button', { type: 'button', class: 'move', title: `Move ${column.title || 'mark'} left`, 'aria-label': `Move ${column.title || 'mark'} left` }, '◀');
        const down = el('button', { type: 'button', class: 'move', title: `Move ${column.title || 'mark'} right`, 'aria-label': `Move ${column.title || 'mark'} right` }, '▶');
        up.disabled = position === 0;
        down.disabled = position === this.order.length - 1;
        up.addEventListener('click', () => this.move(position, -1));
        down.addEventListener('click', () => this.move(position, 1));
        const label = el('label', { for: elementId, title: column.description ?? column.title }, column.title || 'Detector mark');
        if (column.path === undefined) return el('li', {}, checkbox, label, up, down);
        const remove = el('button', { type: 'button', class: 'move remove', title: `Remove the ${column.path} column`, 'aria-label': `Remove the ${column.path} column` }, '✕');
        remove.addEventListener('click', () => this.remove(id));
        return el('li', { class: 'path-column' }, checkbox, label, up, down, remove);
      }),
    );
  }

  private move(position: number, step: number): void {
    const target = position + step;
    [this.order[position], this.order[target]] = [this.order[target]!, this.order[position]!];
    this.renderList();
    this.options.onChange(this.visible());
  }
}
