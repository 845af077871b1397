import { describeWindow, detectorQuery, isWindowDetector, selectDetectors, selectWindowDetectors, type DetectorDefinition, type DetectorSelection } from '../auditlog/detectors';
import { choice, parseArgs } from './args';
import { readDetectorsOption } from './detectorSettingsOption';

type Writable = { write(text: string): unknown };

const FORMATS = ['text', 'json'] as const;

/**
 * `k8s-audit detectors`: the detectors a scan (and the viewer) runs, with the settings of
 * `--detectors FILE.json` applied: ids to turn off, conditions to copy into a query or a custom detector.
 */
export async function runDetectors(argv: string[], out: Writable, err: Writable): Promise<number> {
  const { options } = parseArgs(argv, ['format', 'detectors'], ['include-disabled']);
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const { catalogs, ids } = await readDetectorsOption(options.get('detectors'), err);
  const selection: DetectorSelection = { includeDisabled: options.has('include-disabled'), ...(ids ? { ids } : {}), ...catalogs };
  const detectors: DetectorDefinition[] = [...selectDetectors(selection), ...selectWindowDetectors(selection)];
  if (format === 'json') {
    out.write(`${JSON.stringify(detectors, null, 2)}\n`);
    return 0;
  }
  for (const d of detectors) {
    const needs = d.needsLevel === 'Metadata' ? '' : ` [needs ${d.needsLevel} level]`;
    out.write(`${d.severity.padEnd(8)} ${d.id}: ${d.title}${needs}${d.disabled ? ' (off by default)' : ''}\n`);
    out.write(`         ${isWindowDetector(d) ? `${describeWindow(d.window)}, of: ${d.condition}` : detectorQuery(d)}\n`);
  }
  out.write(`${detectors.length} detectors\n`);
  return 0;
}
