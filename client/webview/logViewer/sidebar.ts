import { VIEWER_FIELDS } from '../../../server/src/protocol/viewerFields';
import type { ViewerFacet, ViewerStatus } from '../../../server/src/protocol/logViewerPage';
import { counted } from '../../../server/src/protocol/wording';
import { el } from './dom';

type Detection = ViewerStatus['detections'][number];

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** The severity as one letter, as the table's mark column writes it (the colour is never the only signal). */
const SEVERITY_LETTER: Record<Detection['severity'], string> = { critical: 'C', high: 'H', medium: 'M', low: 'L', info: 'i' };

export interface SidebarActions {
  /** A detector was clicked: filter by its condition. */
  filterDetector(query: string): void;
  /** A facet value was clicked (alt-click: exclude it). */
  filterFacet(field: ViewerFacet['field'], value: string, exclude: boolean): void;
}

/**
 * Detections by severity and the top values of each facet, all clickable into the query. Detections
 * take one line each and a bounded part of the panel, so the facets below them are always in view.
 * Detectors that found nothing they could judge (the log lacks the bodies they need) are folded apart.
 */
export class Sidebar {
  readonly element = el('nav', { id: 'sidebar', class: 'sidebar', 'aria-label': 'Detections and facets' });
  private readonly detections = el('section', { id: 'detections', 'aria-label': 'Detections' });
  private readonly facets = el('section', { id: 'facets', 'aria-label': 'Facets' });
  /** Whether the user unfolded the unjudged group: the list is redrawn with every status. */
  private unjudgedOpen = false;

  constructor(private readonly actions: SidebarActions) {
    this.element.append(this.detections, this.facets);
  }

  showDetections(status: ViewerStatus): void {
    const bySeverity = (a: Detection, b: Detection) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.hits - a.hits;
    const judged = status.detections.filter((d) => d.hits > 0).sort(bySeverity);
    const unjudged = status.detections.filter((d) => d.hits === 0 && d.unknown > 0).sort((a, b) => b.unknown - a.unknown || bySeverity(a, b));
    const total = status.detections.reduce((sum, d) => sum + d.hits, 0);
    const children: HTMLElement[] = [el('h3', {}, `Detections (${total.toLocaleString('en-US')})`)];
    if (judged.length > 0) children.push(el('ul', { id: 'detections-judged' }, ...judged.map((d) => this.detectionItem(d, d.hits))));
    else children.push(el('p', { class: 'hint' }, unjudged.length > 0 ? 'None found.' : 'None so far.'));
    if (unjudged.length > 0) {
      // A detector's unknowns are the requests it could not judge; the largest says how many lacked bodies.
      const requests = Math.max(...unjudged.map((d) => d.unknown));
      const why = `These detectors need request bodies (audit level Request or higher), which this log does not record for up to ${counted(requests, 'request')}: they could not judge them.`;
      const group = el(
        'details',
        { id: 'detections-unknown', class: 'detections-unknown' },
        el('summary', { title: why }, `Not judged (${unjudged.length})`),
        el('p', { class: 'hint' }, why),
        el('ul', {}, ...unjudged.map((d) => this.detectionItem(d, d.unknown))),
      );
      group.open = this.unjudgedOpen;
      group.addEventListener('toggle', () => (this.unjudgedOpen = group.open));
      children.push(group);
    }
    this.detections.replaceChildren(...children);
  }

  /** One line: severity letter, title (cut with an ellipsis; the tooltip has it whole), count. */
  private detectionItem(detection: Detection, count: number): HTMLElement {
    const judged = [counted(detection.hits, 'request'), detection.unknown > 0 ? `${counted(detection.unknown, 'request')} not judged (no request body at this log's level)` : ''].filter(Boolean).join(', ');
    const button = el(
      'button',
      {
        type: 'button',
        class: `link detection-item severity-${detection.severity}`,
        'data-detector': detection.id,
        'data-hits': String(detection.hits),
        'aria-label': `${detection.title}: ${detection.severity}, ${judged}`,
        title: `${detection.title} (${detection.severity}): ${judged}.\nClick to filter by: ${detection.query}`,
      },
      el('span', { class: 'severity-letter', 'aria-hidden': 'true' }, SEVERITY_LETTER[detection.severity]),
      el('span', { class: 'detection-title' }, detection.title),
      el('span', { class: 'count' }, count.toLocaleString('en-US')),
    );
    button.addEventListener('click', () => this.actions.filterDetector(detection.query));
    return el('li', {}, button);
  }

  showFacets(facets: ViewerFacet[]): void {
    this.facets.replaceChildren(
      ...facets.map((facet) => {
        const max = Math.max(1, ...facet.top.map((entry) => entry.count));
        const items = facet.top.map((entry) => {
          const bar = el('span', { class: 'bar' });
          bar.style.width = `${Math.round((entry.count / max) * 100)}%`;
          const name = entry.value === '' ? '(empty)' : entry.value;
          const button = el(
            'button',
            { type: 'button', class: 'link facet-value', 'data-field': facet.field, title: `${name}: ${counted(entry.count, 'request')}. Click: only this value. Alt-click: exclude it.` },
            el('span', { class: 'facet-name' }, name),
            el('span', { class: 'count' }, entry.count.toLocaleString('en-US')),
            bar,
          );
          button.addEventListener('click', (event) => this.actions.filterFacet(facet.field, entry.value, event.altKey));
          return el('li', {}, button);
        });
        return el('div', { class: 'facet', 'data-facet': facet.field }, el('h3', {}, `${VIEWER_FIELDS[facet.field].title} (${facet.distinct.toLocaleString('en-US')})`), el('ul', {}, ...items));
      }),
    );
  }
}
