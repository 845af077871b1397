import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { diagnostic } from './diagnostic';
import { rangeOf, type ParsedYaml } from './parse';

const SUPPORTED_API_VERSION = 'audit.k8s.io/v1';
const REMOVED_API_VERSIONS = new Set(['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']);

/**
 * The checks kube-apiserver's policy reader makes before validation (spec §2): YAML syntax,
 * apiVersion, kind, and "at least one rule". Each failure stops the apiserver from starting.
 */
export function readerDiagnostics(parsed: ParsedYaml): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const document of parsed.documents) {
    for (const error of document.errors) {
      const [start, end] = error.pos;
      diagnostics.push(diagnostic('yaml-syntax', 'error', rangeOf(parsed, start, Math.max(end, start + 1)), error.message));
    }
  }
  const first = parsed.documents[0];
  if (!first || first.contents === null) {
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
  if (!isMap(first.contents)) {
    const [start, end] = first.contents.range ?? [0, 0];
    diagnostics.push(
      diagnostic('policy-not-a-map', 'error', rangeOf(parsed, start, end), 'An audit policy must be a YAML mapping with apiVersion, kind and rules.'),
    );
    return diagnostics;
  }
  diagnostics.push(...apiVersionDiagnostics(parsed, first), ...kindDiagnostics(parsed, first), ...ruleCountDiagnostics(parsed, first));
  return diagnostics;
}

function keyRange(parsed: ParsedYaml, document: Document.Parsed, key: string) {
  const map = document.contents;
  if (isMap(map)) {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    const node = (pair?.value ?? pair?.key) as Node | undefined;
    if (node?.range) return rangeOf(parsed, node.range[0], node.range[1]);
  }
  return rangeOf(parsed, 0, Math.max(0, parsed.text.indexOf('\n')));
}

function apiVersionDiagnostics(parsed: ParsedYaml, document: Document.Parsed): Diagnostic[] {
  const value = document.get('apiVersion');
  const range = keyRange(parsed, document, 'apiVersion');
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
  return [
    diagnostic(
      'api-version-unknown',
      'error',
      range,
      `Unsupported apiVersion ${JSON.stringify(value)}: kube-apiserver only loads ${SUPPORTED_API_VERSION} policies.`,
      { replacement: SUPPORTED_API_VERSION },
    ),
  ];
}

function kindDiagnostics(parsed: ParsedYaml, document: Document.Parsed): Diagnostic[] {
  const kind = document.get('kind');
  if (kind === 'Policy') return [];
  if (kind === undefined || kind === null) {
    return [
      diagnostic(
        'kind-missing',
        'warning',
        rangeOf(parsed, 0, Math.max(0, parsed.text.indexOf('\n'))),
        'kind is missing. kube-apiserver infers "Policy" when apiVersion is set, but other tools do not: add kind: Policy.',
        { replacement: 'Policy' },
      ),
    ];
  }
  return [
    diagnostic(
      'kind-wrong',
      'error',
      keyRange(parsed, document, 'kind'),
      `kind must be Policy: kube-apiserver fails with 'no kind ${JSON.stringify(String(kind))} is registered'.`,
      { replacement: 'Policy' },
    ),
  ];
}

function ruleCountDiagnostics(parsed: ParsedYaml, document: Document.Parsed): Diagnostic[] {
  const rules = document.get('rules', true);
  if (isSeq(rules) && rules.items.length > 0) return [];
  const range = rules === undefined ? rangeOf(parsed, 0, Math.max(0, parsed.text.indexOf('\n'))) : keyRange(parsed, document, 'rules');
  return [
    diagnostic(
      'no-rules',
      'error',
      range,
      'The policy has no rules: kube-apiserver refuses to start ("loaded illegal policy with 0 rules"). Add at least one rule, for example a catch-all "- level: Metadata".',
    ),
  ];
}
