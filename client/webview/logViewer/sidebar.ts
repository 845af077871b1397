import type { ViewerFacet, ViewerStatus } from '../../src/auditLog/protocol';
import { el } from './dom';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;
const FACET_TITLES: Record<ViewerFacet['field'], string> = { user: 'User', verb: 'Verb', resource: 'Resource', namespace: 'Namespace', code: 'Code', userAgent: 'User agent' };

export interface SidebarActions {
  /** A detector was clicked: filter by its condition. */
  filterDetector(query: string): void;
  /** A facet value was clicked (alt-click: exclude it). */
  filterFacet(field: ViewerFacet['field'], value: string, exclude: boolean): void;
}

/** Detections by severity and the top values of each facet, all clickable into the query. */
export class Sidebar {
  readonly element = el('nav', { id: 'sidebar', class: 'sidebar', 'aria-label': 'Detections and facets' });
  private readonly detections = el('section', { id: 'detections' });
  private readonly facets = el('section', { id: 'facets' });

  constructor(private readonly actions: SidebarActions) {
    this.element.append(this.detections, this.facets);
  }

  showDetections(status: ViewerStatus): void {
    const sorted = [...status.detections].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.hits - a.hits);
    const items = sorted.map((detection) => {
      const label = detection.hits > 0 ? `${detection.hits.toLocaleString('en-US')}` : '';
      const unknown = detection.unknown > 0 ? `${detection.unknown.toLocaleString('en-US')} unknown` : '';
      const button = el(
        'button',
        { type: 'button', class: `link severity-${detection.severity}`, 'data-detector': detection.id, title: `Filter by: ${detection.query}` },
        el('span', { class: 'severity-label' }, detection.severity),
        ` ${detection.title} `,
        el('span', { class: 'count' }, [label, unknown].filter(Boolean).join(' · ')),
      );
      button.addEventListener('click', () => this.actions.filterDetector(detection.query));
      return el('li', {}, button);
    });
    const heading = el('h3', {}, `Detections (${status.detections.reduce((sum, d) => sum + d.hits, 0).toLocaleString('en-US')})`);
    this.detections.replaceChildren(heading, items.length > 0 ? el('ul', {}, ...items) : el('p', { class: 'hint' }, 'None so far.'));
  }

  showFacets(facets: ViewerFacet[]): void {
    this.facets.replaceChildren(
      ...facets.map((facet) => {
        const max = Math.max(1, ...facet.top.map((entry) => entry.count));
        const items = facet.top.map((entry) => {
          const bar = el('span', { class: 'bar' });
          bar.style.width = `${Math.round((entry.count / max) * 100)}%`;
          const button = el(
            'button',
            { type: 'button', class: 'link facet-value', 'data-field': facet.field, title: 'Click: only this value. Alt-click: exclude it.' },
            el('span', { class: 'facet-name' }, entry.value === '' ? '(empty)' : entry.value),
            el('span', { class: 'count' }, entry.count.toLocaleString('en-US')),
            bar,
          );
          button.addEventListener('click', (event) => this.actions.filterFacet(facet.field, entry.value, event.altKey));
          return el('li', {}, button);
        });
        return el('div', { class: 'facet', 'data-facet': facet.field }, el('h3', {}, `${FACET_TITLES[facet.field]} (${facet.distinct.toLocaleString('en-US')})`), el('ul', {}, ...items));
      }),
    );
  }
}
