import { readFile } from 'node:fs/promises';
import { compileQuery } from '../query/evaluate';
import { QuerySyntaxError } from '../query/ast';
import { parseQuery } from '../query/parser';
import { SYSTEM_PRINCIPALS } from './allowlists';
import { buildDetectorCatalog, DETECTOR_CATALOG } from './catalog';
import type { DetectorSelection } from './engine';
import { DETECTOR_GROUPS, isWindowDetector, SEVERITIES, WINDOW_FIELDS, type DetectorDefinition, type DetectorGroup, type NeedsLevel, type Severity, type WindowDetectorDefinition, type WindowField, type WindowSpec } from './types';
import { WINDOW_DETECTOR_CATALOG, windowDetectors } from './windowCatalog';

/**
 * What a site can change about the detectors: the `k8sAudit.detectors.*` settings, or the JSON file
 * of `k8s-audit scan --detectors FILE.json`. Values are untrusted (user JSON): everything is checked.
 */
export interface DetectorSettings {
  /** User patterns of control-plane, node and managed-service identities; replaces SYSTEM_PRINCIPALS. */
  systemPrincipals?: unknown;
  /** User-defined detectors (see CustomDetector). */
  custom?: unknown;
  /** Detector ids to turn off (built-in or custom). */
  disabled?: unknown;
}

/** One entry of `custom`, as a user writes it. */
export interface CustomDetector {
  id: string;
  title: string;
  severity: Severity;
  /** Query language: which requests the detector is about (fields present at every level). */
  condition: string;
  /** Query language over requestObject/responseObject, decided only when the body was logged. */
  bodyCondition?: string;
  /** Default Request when there is a bodyCondition, else Metadata. */
  needsLevel?: NeedsLevel;
  description?: string;
  remediation?: string;
  references?: string[];
  group?: DetectorGroup;
  /** Makes it a window detector: `threshold` matching requests (or distinct values) per key within `seconds`. */
  window?: { key: WindowField[]; distinct?: WindowField[]; threshold: number; seconds: number };
}

/** A problem with one setting; the entry is skipped (or the default kept), never fatal. */
export interface DetectorSettingsError {
  /** Where: `custom[2]`, `systemPrincipals[0]`, `disabled`. */
  setting: string;
  /** The detector's id when known. */
  id?: string;
  /** For a query error: which text and the 1-based position of the error in it. */
  field?: 'condition' | 'bodyCondition';
  position?: number;
  message: string;
}

export interface ResolvedDetectors {
  /** The detectors to run: pass as (or spread into) a DetectorSelection. Plain data. */
  selection: Required<Pick<DetectorSelection, 'catalog' | 'windows'>>;
  errors: DetectorSettingsError[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const NEEDS: readonly NeedsLevel[] = ['Metadata', 'Request', 'RequestResponse'];

/**
 * The effective detectors: built-in conditions rebuilt from the effective allowlist, custom detectors
 * added (one with a built-in's id replaces it), disabled ids removed. Invalid entries are reported
 * and skipped; this never throws.
 */
export function resolveDetectorSettings(settings: DetectorSettings = {}): ResolvedDetectors {
  const errors: DetectorSettingsError[] = [];
  const principals = systemPrincipalsOf(settings.systemPrincipals, errors);
  const allowlists = { systemPrincipals: principals };
  const builtIn = principals === SYSTEM_PRINCIPALS ? [...DETECTOR_CATALOG, ...WINDOW_DETECTOR_CATALOG] : [...buildDetectorCatalog(allowlists), ...windowDetectors(allowlists)];
  const byId = new Map<string, DetectorDefinition>(builtIn.map((d) => [d.id, d]));

  const custom = settings.custom;
  if (custom !== undefined && custom !== null && !Array.isArray(custom)) errors.push({ setting: 'custom', message: 'custom must be an array of detector objects' });
  const seen = new Set<string>();
  if (Array.isArray(custom)) {
    custom.forEach((entry, i) => {
      const definition = customDefinition(entry, `custom[${i}]`, errors);
      if (!definition) return;
      if (seen.has(definition.id)) {
        errors.push({ setting: `custom[${i}]`, id: definition.id, message: `custom detector "${definition.id}": the id is used by an earlier custom detector; skipped` });
        return;
      }
      seen.add(definition.id);
      byId.set(definition.id, definition);
    });
  }

  const disabled = stringList(settings.disabled, 'disabled', errors);
  for (const id of disabled) {
    if (!byId.delete(id)) errors.push({ setting: 'disabled', id, message: `disabled: no detector has the id "${id}"` });
  }
  const all = [...byId.values()];
  return { selection: { catalog: all.filter((d) => !isWindowDetector(d)), windows: all.filter(isWindowDetector) }, errors };
}

/** Reads the JSON file of `scan --detectors FILE.json`; throws on unreadable or non-JSON files (a usage error). */
export async function readDetectorSettingsFile(path: string): Promise<DetectorSettings> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path} must hold an object with systemPrincipals, custom and/or disabled`);
  const unknownKeys = Object.keys(value).filter((k) => !['systemPrincipals', 'custom', 'disabled', '$schema'].includes(k));
  if (unknownKeys.length > 0) throw new Error(`${path}: unknown key(s) ${unknownKeys.join(', ')} (expected systemPrincipals, custom, disabled)`);
  return value as DetectorSettings;
}


function systemPrincipalsOf(value: unknown, errors: DetectorSettingsError[]): readonly string[] {
  if (value === undefined || value === null) return SYSTEM_PRINCIPALS;
  if (!Array.isArray(value)) {
    errors.push({ setting: 'systemPrincipals', message: 'systemPrincipals must be an array of user patterns; the default list is used' });
    return SYSTEM_PRINCIPALS;
  }
  const kept: string[] = [];
  value.forEach((pattern, i) => {
    if (typeof pattern === 'string' && pattern !== '') kept.push(pattern);
    else errors.push({ setting: `systemPrincipals[${i}]`, message: `systemPrincipals[${i}] must be a non-empty string (a user name, * as a wildcard); ignored` });
  });
  return kept;
}

function stringList(value: unknown, setting: string, errors: DetectorSettingsError[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    errors.push({ setting, message: `${setting} must be an array of detector ids` });
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
  return value as string[];
}

function customDefinition(entry: unknown, setting: string, errors: DetectorSettingsError[]): DetectorDefinition | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    errors.push({ setting, message: `${setting}: a custom detector must be an object with id, title, severity and condition` });
    return null;
  }
  const e = entry as Record<string, unknown>;
  const id = typeof e.id === 'string' ? e.id : '';
  const name = id ? `custom detector "${id}"` : setting;
  const fail = (message: string, extra: Partial<DetectorSettingsError> = {}): null => {
    errors.push({ setting, ...(id ? { id } : {}), message: `${name}: ${message}; skipped`, ...extra });
    return null;
  };
  if (!ID.test(id)) return fail('id must be 1-100 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');
  if (typeof e.title !== 'string' || e.title.trim() === '') return fail('title must be a non-empty string');
  if (typeof e.severity !== 'string' || !SEVERITIES.includes(e.severity as Severity)) return fail(`severity must be one of ${SEVERITIES.join(', ')}`);
  if (typeof e.condition !== 'string') return fail('condition must be a string in the query language ("" matches every request)');
  for (const field of ['bodyCondition', 'description', 'remediation'] as const) {
    if (e[field] !== undefined && typeof e[field] !== 'string') return fail(`${field} must be a string`);
  }
  if (e.references !== undefined && (!Array.isArray(e.references) || e.references.some((r) => typeof r !== 'string'))) return fail('references must be an array of strings');
  if (e.needsLevel !== undefined && !NEEDS.includes(e.needsLevel as NeedsLevel)) return fail(`needsLevel must be one of ${NEEDS.join(', ')}`);
  if (e.group !== undefined && !DETECTOR_GROUPS.includes(e.group as DetectorGroup)) return fail(`group must be one of ${DETECTOR_GROUPS.join(', ')}`);
  for (const field of ['condition', 'bodyCondition'] as const) {
    const text = e[field];
    if (typeof text !== 'string') continue;
    const problem = queryProblem(text);
    if (problem) return fail(`${field} error at position ${problem.offset + 1}: ${problem.message}`, { field, position: problem.offset + 1 });
  }
  const bodyCondition = typeof e.bodyCondition === 'string' && e.bodyCondition.trim() !== '' ? e.bodyCondition : undefined;
  const definition: DetectorDefinition = {
    id,
    title: e.title,
    severity: e.severity as Severity,
    group: (e.group as DetectorGroup | undefined) ?? 'custom',
    description: typeof e.description === 'string' ? e.description : '',
    remediation: typeof e.remediation === 'string' ? e.remediation : '',
    condition: e.condition,
    ...(bodyCondition !== undefined ? { bodyCondition } : {}),
    needsLevel: (e.needsLevel as NeedsLevel | undefined) ?? (bodyCondition !== undefined ? 'Request' : 'Metadata'),
    references: Array.isArray(e.references) ? [...(e.references as string[])] : [],
  };
  if (e.window === undefined) return definition;
  const window = windowSpecOf(e.window);
  if (typeof window === 'string') return fail(window);
  if (bodyCondition !== undefined) return fail('a window detector cannot have a bodyCondition (it counts requests by fields present at every level)');
  const windowed: WindowDetectorDefinition = { ...definition, needsLevel: 'Metadata', window };
  return windowed;
}

/** The window of a custom detector, or what is wrong with it. */
function windowSpecOf(value: unknown): WindowSpec | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'window must be an object {key, distinct?, threshold, seconds}';
  const w = value as Record<string, unknown>;
  const fields = (list: unknown, name: string): WindowField[] | string => {
    if (!Array.isArray(list) || list.length === 0 || list.some((f) => !WINDOW_FIELDS.includes(f as WindowField))) return `window.${name} must be a non-empty array of ${WINDOW_FIELDS.join(', ')}`;
    return list as WindowField[];
  };
  const key = fields(w.key, 'key');
  if (typeof key === 'string') return key;
  const distinct = w.distinct === undefined ? undefined : fields(w.distinct, 'distinct');
  if (typeof distinct === 'string') return distinct;
  if (typeof w.threshold !== 'number' || !Number.isInteger(w.threshold) || w.threshold < 1) return 'window.threshold must be a whole number of at least 1';
  if (typeof w.seconds !== 'number' || !(w.seconds > 0) || w.seconds > 31 * 86_400) return 'window.seconds must be a number of seconds above 0 (at most 31 days)';
  return { key, ...(distinct ? { distinct } : {}), threshold: w.threshold, windowMs: Math.round(w.seconds * 1000) };
}

function queryProblem(text: string): { offset: number; message: string } | null {
  try {
    compileQuery(parseQuery(text));
    return null;
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { offset: error.offset, message: error.message };
    return { offset: 0, message: (error as Error).message };
  }
}
