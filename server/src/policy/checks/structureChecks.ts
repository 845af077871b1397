import type { Diagnostic } from 'vscode-languageserver-types';
import { diagnostic } from './diagnostic';
import { entryOf, keyRange, spanRange, type PolicyModel } from '../yaml/model';
import { rangeOf } from '../yaml/parse';
import { isTrusted, type SyntaxTrust } from './syntaxTrust';
import { FEATURE_MINOR } from '../version';

/**
 * How kube-apiserver's YAML decoding differs from what the text suggests: aliases it refuses,
 * duplicate keys (the last one wins), extra documents (ignored), and fields older releases drop.
 */
export function structureDiagnostics(model: PolicyModel, minor: number, trust?: SyntaxTrust): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const problem of model.decoded.problems) {
    const range = spanRange(model, problem);
    switch (problem.kind) {
      case 'alias-bomb':
        out.push(
          diagnostic('yaml-alias-bomb', 'error', range, 'yaml: document contains excessive aliasing: the aliases expand to an enormous document, and kube-apiserver refuses it. Write the lists out instead.'),
        );
        break;
      case 'alias-cycle':
        out.push(diagnostic('yaml-alias-cycle', 'error', range, `yaml: anchor '${problem.anchor}' value contains itself: an alias cannot refer to the node that contains it.`));
        break;
      case 'alias-unknown':
        out.push(diagnostic('yaml-alias-unknown', 'error', range, `yaml: unknown anchor '${problem.anchor}' referenced: define "&${problem.anchor}" before using "*${problem.anchor}".`));
        break;
      case 'too-deep':
        out.push(diagnostic('yaml-too-deep', 'error', range, 'The YAML nests far deeper than any audit policy can; the content below this point is not analysed.'));
        break;
    }
  }
  for (const duplicate of model.decoded.duplicates) {
    // "keeps the last one" names the kept key: after a syntax error it must be one the error left alone.
    if (!isTrusted(trust, duplicate.kept.keyStart)) continue;
    out.push(
      diagnostic(
        'duplicate-key',
        'warning',
        keyRange(model, duplicate.ignored),
        `Duplicate key "${duplicate.key}": kube-apiserver keeps only the last one (line ${rangeOf(model.parsed, duplicate.kept.keyStart, duplicate.kept.keyEnd).start.line + 1}) and ignores this one${minor >= FEATURE_MINOR.strictDecodingWarning ? ', logging a strict decoding error' : ''}. Merge the two or delete one.`,
        { removeEntry: true },
      ),
    );
  }
  const second = model.parsed.secondDocumentStart;
  if (model.parsed.documentCount > 1 && second !== undefined) {
    // A document's range starts at its "---" marker.
    const to = model.parsed.text.startsWith('---', second) ? second + 3 : Math.min(second + 1, model.parsed.text.length);
    out.push(
      diagnostic(
        'extra-document',
        'warning',
        rangeOf(model.parsed, second, to),
        `kube-apiserver reads only the first YAML document of a policy file; the ${model.parsed.documentCount - 1} document(s) from here on are ignored. One file holds one policy: merge the rules into the first document.`,
      ),
    );
  }
  if (minor < FEATURE_MINOR.omitManagedFields) {
    const owners = [model.root, ...model.rules.map((r) => r.node)];
    for (const owner of owners) {
      const entry = entryOf(owner, 'omitManagedFields');
      if (entry) {
        out.push(
          diagnostic(
            'field-unsupported-version',
            'warning',
            keyRange(model, entry),
            `omitManagedFields exists since Kubernetes 1.${FEATURE_MINOR.omitManagedFields}; kube-apiserver 1.${minor} drops it as an unknown field.`,
          ),
        );
      }
    }
  }
  return out;
}
