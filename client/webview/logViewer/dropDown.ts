/**
 * Makes a <details> element behave as a drop-down: Esc closes it (and puts the focus back on its
 * summary), as do a click elsewhere and, with `closeOnChoice`, a click on one of its buttons.
 * The <details> itself already opens and closes with Enter and Space, so every item is reachable by Tab.
 */
export function dropDown(details: HTMLDetailsElement, closeOnChoice = false): HTMLDetailsElement {
  details.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !details.open) return;
    event.preventDefault();
    event.stopPropagation();
    details.open = false;
    details.querySelector('summary')?.focus();
  });
  document.addEventListener('pointerdown', (event) => {
    if (details.open && !details.contains(event.target as Node)) details.open = false;
  });
  if (closeOnChoice) {
    details.addEventListener('click', (event) => {
      if ((event.target as HTMLElement).closest('button')) details.open = false;
    });
  }
  return details;
}
