import type { Column } from './columns';
import { el } from './dom';

/**
 * Which columns the table shows and in what order: a checkbox per column and buttons to move it.
 * A native <details> element, so it opens and closes with the keyboard like any other control.
 */
export class ColumnChooser {
  readonly element = el('details', { id: 'columns', class: 'column-chooser' }, el('summary', {}, 'Columns'));
  private readonly list = el('ul', { role: 'list' });
  private order: string[];
  private hidden = new Set<string>();

  constructor(
    private readonly all: readonly Column[],
    private readonly onChange: (visible: string[]) => void,
  ) {
    this.order = all.map((c) => c.id);
    this.element.append(this.list);
    this.renderList();
  }

  /** Restores a saved choice (ids in order; columns not listed are hidden). */
  restore(visible: readonly string[]): void {
    const known = visible.filter((id) => this.all.some((c) => c.id === id));
    this.order = [...known, ...this.all.map((c) => c.id).filter((id) => !known.includes(id))];
    this.hidden = new Set(this.order.filter((id) => !known.includes(id)));
    this.renderList();
  }

  visible(): string[] {
    return this.order.filter((id) => !this.hidden.has(id));
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...this.order.map((id, position) => {
        const column = this.all.find((c) => c.id === id)!;
        const checkbox = el('input', { type: 'checkbox', id: `column-${id}`, 'data-column': id });
        checkbox.checked = !this.hidden.has(id);
        checkbox.addEventListener('change', () => {
          if (checkbox.checked) this.hidden.delete(id);
          else this.hidden.add(id);
          this.onChange(this.visible());
        });
        const up = el('button', { type: 'button', class: 'move', title: `Move ${column.title || 'mark'} left`, 'aria-label': `Move ${column.title || 'mark'} left` }, '◀');
        const down = el('button', { type: 'button', class: 'move', title: `Move ${column.title || 'mark'} right`, 'aria-label': `Move ${column.title || 'mark'} right` }, '▶');
        up.disabled = position === 0;
        down.disabled = position === this.order.length - 1;
        up.addEventListener('click', () => this.move(position, -1));
        down.addEventListener('click', () => this.move(position, 1));
        return el('li', {}, checkbox, el('label', { for: `column-${id}` }, column.title || 'Detector mark'), up, down);
      }),
    );
  }

  private move(position: number, step: number): void {
    const target = position + step;
    [this.order[position], this.order[target]] = [this.order[target]!, this.order[position]!];
    this.renderList();
    this.onChange(this.visible());
  }
}
