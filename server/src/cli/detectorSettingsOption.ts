import { readDetectorSettingsFile, resolveDetectorSettings, type DetectorSelection, type DetectorSettingsError } from '../auditlog/detectors';
import { cannotRead } from '../fileErrors';
import { InputError, UsageError } from './args';

/** What `--detectors` said: a FILE.json of detector settings (resolved), or a list of ids. */
export interface DetectorsOption {
  catalogs: Pick<DetectorSelection, 'catalog' | 'windows'>;
  ids: string[] | undefined;
  settingsErrors: DetectorSettingsError[];
  /** The file's systemPrincipals when it sets a valid list (else the built-in allowlist applies). */
  systemPrincipals?: string[];
}

/**
 * Reads `--detectors`: a value ending in .json is a file of {systemPrincipals?, custom?, disabled?}
 * (the k8sAudit.detectors.* settings); anything else is a comma-separated list of detector ids.
 * Problems with single entries are written to `err` and skipped; a file that cannot be read or is not
 * a settings object throws InputError.
 */
export async function readDetectorsOption(value: string | true | undefined, err: { write(text: string): unknown }): Promise<DetectorsOption> {
  if (value === true) throw new UsageError('--detectors needs a comma-separated list of detector ids, or a FILE.json of detector settings');
  if (value === undefined) return { catalogs: {}, ids: undefined, settingsErrors: [] };
  if (!/\.json$/i.test(value)) return { catalogs: {}, ids: value.split(','), settingsErrors: [] };
  let settings;
  try {
    settings = await readDetectorSettingsFile(value);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`--detectors: ${typeof code === 'string' ? cannotRead(value, error) : (error as Error).message}`);
  }
  const resolved = resolveDetectorSettings(settings);
  for (const problem of resolved.errors) err.write(`k8s-audit: ${value}: ${problem.message}\n`);
  const principals = settings.systemPrincipals;
  const valid = Array.isArray(principals) && principals.every((p) => typeof p === 'string');
  return { catalogs: resolved.selection, ids: undefined, settingsErrors: resolved.errors, ...(valid ? { systemPrincipals: principals as string[] } : {}) };
}
