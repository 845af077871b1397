import { DETECTOR_CATALOG } from './catalog';
import type { DetectorSelection } from './engine';
import type { DetectorDefinition } from './types';
import { WINDOW_DETECTOR_CATALOG } from './windowCatalog';

/** Detector definitions by id: what a viewer session names the ids of its rows and detections by. */
export type DetectorDefinitions = ReadonlyMap<string, DetectorDefinition>;

/**
 * The definitions a session knows: the built-in ones, replaced and extended by the catalogs its
 * settings resolved to (custom detectors, rebuilt allowlists). Built-ins stay known even when the
 * settings disable them: a ClickHouse table holds ids that `load` or `serve` found with other settings.
 */
export function detectorDefinitions(catalogs: Pick<DetectorSelection, 'catalog' | 'windows'> = {}): DetectorDefinitions {
  const all = [...DETECTOR_CATALOG, ...WINDOW_DETECTOR_CATALOG, ...(catalogs.catalog ?? []), ...(catalogs.windows ?? [])];
  return new Map(all.map((definition) => [definition.id, definition]));
}
