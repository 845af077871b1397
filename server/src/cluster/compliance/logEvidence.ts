import { compileDetectors, compileWindowDetectors, detectRequest, WindowScanner, type DetectorFinding, type DetectorSelection } from '../../auditlog/detectors';
import type { NormalizedEvent } from '../../auditlog/normalizedEvent';
import { readLogSet } from '../../auditlog/readLogSet';
import { resourcePath } from '../../auditlog/requestTarget';
import { firstMatchingRule } from '../../policy/match';
import type { Policy } from '../../policy/types';
import { requestAttributesOf } from '../../simulation/requestAttributes';
import type { LogEvidence, LoggedExample } from './types';

export interface LogEvidenceOptions {
  /** A policy that loads: requests of the log it would not log are reported. */
  policy?: Policy;
  /** Namespaces whose requests are counted (cardholder data, PHI). */
  namespaces?: readonly string[];
  /** Detectors to run (default: the built-in ones, low severity and up, as `k8s-audit scan`). */
  detectors?: DetectorSelection;
}

/** Must-log categories: a log from a working setup has requests of these kinds (when they happen). */
const CATEGORIES: { id: string; title: string; matches: (e: NormalizedEvent) => boolean }[] = [
  { id: 'writes', title: 'Writes (create, update, patch, delete)', matches: (e) => ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb) && e.resource !== '' },
  { id: 'secret-reads', title: 'Secret reads (get, list, watch)', matches: (e) => e.resource === 'secrets' && e.subresource === '' && ['get', 'list', 'watch'].includes(e.verb) },
  { id: 'exec', title: 'exec, attach and port-forward', matches: (e) => e.resource === 'pods' && ['exec', 'attach', 'portforward'].includes(e.subresource) },
  { id: 'rbac-changes', title: 'RBAC changes', matches: (e) => e.apiGroup === 'rbac.authorization.k8s.io' && ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb) },
  { id: 'authn-failures', title: 'Authentication failures (401)', matches: (e) => e.code === 401 },
  { id: 'authz-denials', title: 'Authorization denials (403)', matches: (e) => e.code === 403 },
];

/** Silences at least this long are worth a look... */
const GAP_MINUTES = 5;
/** ...and suspicious when they are this many times the log's usual (median) spacing. */
const GAP_FACTOR = 50;
const LISTED = 10;

/**
 * Evidence that logging works, from the logs themselves: requests of each must-log category, the levels
 * actually seen, silences that suggest dropped events, what the detectors find, the requests in the
 * namespaces asked about, and what the log has that the given policy would not log.
 */
export async function collectLogEvidence(paths: readonly string[], options: LogEvidenceOptions = {}): Promise<LogEvidence> {
  const selection: DetectorSelection = options.detectors ?? { minSeverity: 'low' };
  const detectors = compileDetectors(selection);
  const windows = new WindowScanner(compileWindowDetectors(selection));
  const levels: Record<string, number> = {};
  const categories = CATEGORIES.map((c) => ({ id: c.id, title: c.title, count: 0, example: undefined as LoggedExample | undefined }));
  const namespaces: LogEvidence['namespaces'] = Object.fromEntries((options.namespaces ?? []).map((ns) => [ns, { count: 0 }]));
  const misses = new Map<string, { what: string; count: number; example: LoggedExample }>();
  const detections = new Map<string, { detector: string; title: string; severity: string; count: number; example: LoggedExample }>();
  const times: { time: number; file: number; line: number; text: string }[] = [];
  // Without rotated files, readLogSet reads exactly these files in this order: NormalizedEvent.file indexes them.
  const files = [...paths];
  const example = (e: NormalizedEvent): LoggedExample => ({ file: files[e.file] ?? '', line: e.line, text: describe(e) });
  const pending: DetectorFinding[] = [];

  const result = await readLogSet(paths, (request) => {
    const e = request.primary;
    levels[e.level || '(none)'] = (levels[e.level || '(none)'] ?? 0) + 1;
    for (let k = 0; k < CATEGORIES.length; k++) {
      if (!CATEGORIES[k]!.matches(e)) continue;
      categories[k]!.count++;
      categories[k]!.example ??= example(e);
    }
    const ns = namespaces[e.namespace];
    if (ns) {
      ns.count++;
      ns.example ??= example(e);
    }
    if (Number.isFinite(e.time)) times.push({ time: e.time, file: e.file, line: e.line, text: describe(e) });
    if (options.policy && firstMatchingRule(options.policy, requestAttributesOf(e)).level === 'None') {
      const what = `${e.verb} ${e.resource !== '' ? resourcePath(e) : e.requestURI.split('?')[0]}`;
      const known = misses.get(what);
      if (known) known.count++;
      else misses.set(what, { what, count: 1, example: example(e) });
    }
    for (const finding of detectRequest(request, detectors)) if (finding.outcome === 'hit') pending.push(finding);
    windows.add(request);
  });
  pending.push(...windows.finish());
  for (const finding of pending) {
    const id = finding.detector.id;
    const known = detections.get(id);
    if (known) known.count++;
    else detections.set(id, { detector: id, title: finding.detector.title, severity: finding.detector.severity, count: 1, example: example(finding.event) });
  }

  times.sort((a, b) => a.time - b.time);
  const evidence: LogEvidence = {
    files: result.files,
    events: result.events,
    requests: result.requests,
    levels,
    categories: categories.map((c) => ({ id: c.id, title: c.title, count: c.count, ...(c.example ? { example: c.example } : {}) })),
    gaps: gapsOf(times, files),
    policyMisses: [...misses.values()].sort((a, b) => b.count - a.count).slice(0, LISTED),
    namespaces,
    detections: [...detections.values()].sort((a, b) => b.count - a.count).slice(0, LISTED),
    errors: result.errors,
  };
  if (times.length > 0) {
    const first = times[0]!;
    const last = times[times.length - 1]!;
    evidence.from = new Date(first.time).toISOString();
    evidence.to = new Date(last.time).toISOString();
    evidence.span = { first: { file: files[first.file] ?? '', line: first.line, text: first.text }, last: { file: files[last.file] ?? '', line: last.line, text: last.text } };
  }
  return evidence;
}

/** The three longest silences, and whether each looks like dropped events rather than a quiet cluster. */
function gapsOf(times: { time: number; file: number; line: number; text: string }[], files: string[]): LogEvidence['gaps'] {
  if (times.length < 3) return [];
  const gaps: { index: number; ms: number }[] = [];
  for (let i = 1; i < times.length; i++) gaps.push({ index: i, ms: times[i]!.time - times[i - 1]!.time });
  gaps.sort((a, b) => b.ms - a.ms);
  // The median spacing, not the mean: one long silence must not raise the bar it is measured against.
  const usual = gaps[Math.floor(gaps.length / 2)]!.ms;
  return gaps
    .slice(0, 3)
    .filter((g) => g.ms >= GAP_MINUTES * 60_000)
    .map((g) => {
      const before = times[g.index - 1]!;
      return {
        from: new Date(before.time).toISOString(),
        to: new Date(times[g.index]!.time).toISOString(),
        minutes: Math.round(g.ms / 60_000),
        suspicious: g.ms >= GAP_FACTOR * usual,
        after: { file: files[before.file] ?? '', line: before.line, text: before.text },
      };
    });
}

/** One line about a request, for evidence: who did what to which object, when. Log values are untrusted: no control characters. */
function describe(e: NormalizedEvent): string {
  const target = e.resource !== '' ? resourcePath(e) : e.requestURI.split('?')[0];
  const object = [e.namespace, e.name].filter((s) => s !== '').join('/');
  const when = Number.isFinite(e.time) ? new Date(e.time).toISOString() : '';
  const text = `${when} ${e.user || '(no user)'} ${e.verb} ${target}${object ? ` ${object}` : ''}${e.code !== null ? ` → ${e.code}` : ''} [${e.level}]`.trim();
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD').slice(0, 300);
}
