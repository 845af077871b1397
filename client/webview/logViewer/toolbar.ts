import { dropDown } from './dropDown';
import { el } from './dom';

export interface ToolbarActions {
  follow(on: boolean): void;
  export(format: 'csv' | 'jsonl'): void;
  copyJq(): void;
  /** Absent when the rows have no file to show as text (a ClickHouse table): then there is no Open raw button. */
  openRaw?(): void;
}

function button(label: string, attributes: Record<string, string>, onClick: (button: HTMLButtonElement) => void): HTMLButtonElement {
  const element = el('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', () => onClick(element));
  return element;
}

/**
 * The viewer's header, one line at any width: side panel toggle, file name, the result's summary (cut
 * with an ellipsis when the editor is narrow; its tooltip has it whole), then Follow, Columns, an Export
 * menu (CSV, JSON lines, the query as jq) and Open raw. Every control is a button or a <details>
 * summary, so Tab reaches each and Enter or Space uses it.
 */
export function toolbar(fileName: string, summary: HTMLElement, sidebarToggle: HTMLElement, columnChooser: HTMLElement, actions: ToolbarActions): HTMLElement {
  let following = false;
  const follow = button('Follow', { id: 'follow', class: 'secondary', 'aria-pressed': 'false', title: 'Keep the newest requests in view as the file grows' }, (element) => {
    following = !following;
    element.setAttribute('aria-pressed', String(following));
    actions.follow(following);
  });
  const exportMenu = dropDown(
    el(
      'details',
      { id: 'export-menu', class: 'menu' },
      el('summary', { class: 'secondary', title: 'Save or copy the filtered requests' }, 'Export'),
      el(
        'div',
        { class: 'menu-panel' },
        button('CSV file…', { id: 'export-csv', class: 'menu-item', title: 'Save the filtered requests as CSV' }, () => actions.export('csv')),
        button('JSON lines file…', { id: 'export-jsonl', class: 'menu-item', title: 'Save the events of the filtered requests as JSON lines' }, () => actions.export('jsonl')),
        button('Copy query as jq', { id: 'copy-jq', class: 'menu-item', title: 'Copy the same filter as a jq program' }, () => actions.copyJq()),
      ),
    ),
    true,
  );
  const openRaw = actions.openRaw && button('Open raw', { id: 'open-raw', class: 'secondary open-raw', title: 'Open the log as text' }, () => actions.openRaw?.());
  summary.classList.add('summary');
  return el('header', { class: 'toolbar' }, sidebarToggle, el('span', { class: 'file-name', title: fileName }, fileName), summary, follow, columnChooser, exportMenu, ...(openRaw ? [openRaw] : []));
}
