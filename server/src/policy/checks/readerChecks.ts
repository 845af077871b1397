import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diagnostic } from './diagnostic';
import { rangeOf, type PolicyText } from '../yaml/parse';
import type { TreeMap } from '../yaml/tree';
import { FEATURE_MINOR, NEWEST_MINOR } from '../version';

const MAX_SYNTAX_ERRORS = 20;
const SUPPORTED_API_VERSION = 'audit.k8s.io/v1';
const REMOVED_API_VERSIONS = new Set(['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']);

/**
 * The checks kube-apiserver's policy reader makes before validation (spec §2): YAML syntax,
 * apiVersion, kind, and "at least one rule". Each failure stops the apiserver from starting.
 */
export function readerDiagnostics(parsed: PolicyText, minor: number = NEWEST_MINOR): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // Only the first document is loaded; a broken later one still deserves its syntax errors, but a
  // binary file can produce thousands, so only the first few are shown.
  for (const error of parsed.syntaxErrors.slice(0, MAX_SYNTAX_ERRORS)) {
    diagnostics.push(diagnostic('yaml-syntax', 'error', rangeOf(parsed, error.start, Math.max(error.end, error.start + 1)), error.message));
  }
  const root = parsed.tree.root;
  // A document refused for its aliases is reported as such, not as empty.
  if (!root && parsed.tree.problems.some((p) => p.kind === 'alias-bomb')) return diagnostics;
  if ((!root || (root.kind === 'scalar' && root.value === null)) && parsed.secondDocumentStart !== undefined) {
    diagnostics.push(
      diagnostic(
        'policy-empty',
        'error',
        rangeOf(parsed, 0, Math.min(3, parsed.text.length)),
        'The first YAML document is empty: kube-apiserver reads only the first document, so it finds no apiVersion ("unknown group version field in policy"). Remove the "---" above the policy.',
      ),
    );
    return diagnostics;
  }
  if (!root || (root.kind === 'scalar' && root.value === null)) {
    diagnostics.push(
      diagnostic(
        'policy-empty',
        'error',
        rangeOf(parsed, 0, 0),
        'The policy is empty: kube-apiserver refuses it ("loaded illegal policy with 0 rules"). Add apiVersion: audit.k8s.io/v1, kind: Policy and at least one rule.',
      ),
    );
    return diagnostics;
  }
  if (root.kind !== 'map') {
    diagnostics.push(diagnostic('policy-not-a-map', 'error', rangeOf(parsed, root.start, root.end), 'An audit policy must be a YAML mapping with apiVersion, kind and rules.'));
    return diagnostics;
  }
  diagnostics.push(...apiVersionDiagnostics(parsed, root, minor), ...kindDiagnostics(parsed, root), ...ruleCountDiagnostics(parsed, root));
  return diagnostics;
}

function firstLine(parsed: PolicyText): Range {
  const newline = parsed.text.indexOf('\n');
  return rangeOf(parsed, 0, newline < 0 ? parsed.text.length : newline);
}

/** The value of a top-level key (or the key itself when the value is empty). */
function keyRange(parsed: PolicyText, root: TreeMap, key: string): Range {
  const entry = root.byKey.get(key);
  if (!entry) return firstLine(parsed);
  const value = entry.value;
  return value.end > value.start ? rangeOf(parsed, value.start, value.end) : rangeOf(parsed, entry.keyStart, entry.keyEnd);
}

function scalarValue(root: TreeMap, key: string): unknown {
  const value = root.byKey.get(key)?.value;
  return value?.kind === 'scalar' ? value.value : value ? '<non-scalar>' : undefined;
}

function apiVersionDiagnostics(parsed: PolicyText, root: TreeMap, minor: number): Diagnostic[] {
  const value = scalarValue(root, 'apiVersion');
  const range = keyRange(parsed, root, 'apiVersion');
  if (value === undefined || value === null || value === '') {
    return [
      diagnostic(
        'api-version-missing',
        'error',
        range,
        `apiVersion is missing: kube-apiserver fails with "unknown group version field in policy". Add apiVersion: ${SUPPORTED_API_VERSION}.`,
        { replacement: SUPPORTED_API_VERSION },
      ),
    ];
  }
  if (value === SUPPORTED_API_VERSION) return [];
  if (typeof value === 'string' && REMOVED_API_VERSIONS.has(value)) {
    if (minor < FEATURE_MINOR.betaApiDeprecated) return [];
    if (minor < FEATURE_MINOR.betaApiRemoved) {
      return [
        diagnostic(
          'api-version-deprecated',
          'warning',
          range,
          `${value} is deprecated since Kubernetes 1.${FEATURE_MINOR.betaApiDeprecated} and stops loading in 1.${FEATURE_MINOR.betaApiRemoved} (kube-apiserver then refuses to start). Use ${SUPPORTED_API_VERSION}; the fields are the same.`,
          { replacement: SUPPORTED_API_VERSION },
        ),
      ];
    }
    return [
      diagnostic(
        'api-version-removed',
        'error',
        range,
        `${value} was removed in Kubernetes 1.24: kube-apiserver fails with 'no kind "Policy" is registered for version "${value}"'. Use ${SUPPORTED_API_VERSION}; the fields are the same.`,
        { replacement: SUPPORTED_API_VERSION },
      ),
    ];
  }
  return [diagnostic('api-version-unknown', 'error', range, unknownApiVersionMessage(parsed, root, value), { replacement: SUPPORTED_API_VERSION })];
}

function unknownApiVersionMessage(parsed: PolicyText, root: TreeMap, value: unknown): string {
  const node = root.byKey.get('apiVersion')!.value;
  if (node.kind === 'scalar') return `Unsupported apiVersion ${JSON.stringify(value)}: kube-apiserver only loads ${SUPPORTED_API_VERSION} policies.`;
  const written = parsed.text.slice(node.start, node.end);
  // Unquoted, a Helm/Go template expression is a YAML flow mapping.
  if (written.startsWith('{{')) {
    return `apiVersion is the template expression ${written}: kube-apiserver reads the file as it is, and does not render templates. Render it first (helm template), or write ${SUPPORTED_API_VERSION}.`;
  }
  return `apiVersion must be the string ${SUPPORTED_API_VERSION}, not a ${node.kind === 'map' ? 'mapping' : 'list'}: kube-apiserver refuses the file.`;
}

function kindDiagnostics(parsed: PolicyText, root: TreeMap): Diagnostic[] {
  const kind = scalarValue(root, 'kind');
  if (kind === 'Policy') return [];
  if (kind === undefined || kind === null) {
    return [
      diagnostic(
        'kind-missing',
        'warning',
        firstLine(parsed),
        'kind is missing. kube-apiserver infers "Policy" when apiVersion is set, but other tools do not: add kind: Policy.',
        { replacement: 'Policy' },
      ),
    ];
  }
  return [
    diagnostic(
      'kind-wrong',
      'error',
      keyRange(parsed, root, 'kind'),
      `kind must be Policy: kube-apiserver fails with 'no kind ${JSON.stringify(String(kind))} is registered'.`,
      { replacement: 'Policy' },
    ),
  ];
}

function ruleCountDiagnostics(parsed: PolicyText, root: TreeMap): Diagnostic[] {
  const rules = root.byKey.get('rules')?.value;
  if (rules?.kind === 'seq' && rules.items.length > 0) return [];
  const range = rules === undefined ? firstLine(parsed) : keyRange(parsed, root, 'rules');
  return [
    diagnostic(
      'no-rules',
      'error',
      range,
      'The policy has no rules: kube-apiserver refuses to start ("loaded illegal policy with 0 rules"). Add at least one rule, for example a catch-all "- level: Metadata".',
    ),
  ];
}
