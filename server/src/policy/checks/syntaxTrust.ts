import type { Diagnostic } from 'vscode-languageserver-types';
import type { PolicyModel } from '../yaml/model';
import { offsetOf, type PolicyText } from '../yaml/parse';
import type { TreeNode } from '../yaml/tree';

/**
 * What of a policy still reads as its author wrote it after a YAML syntax error. go-yaml refuses the
 * whole file, while `yaml` recovers by guessing: a tab-indented `verbs:` becomes a top-level key, the
 * rules after it a "complex key". Findings about those guesses would be wrong, so only the parts that
 * close before the line of the first error are trusted. A part closes when the next one of its level
 * (root key, or rule) starts before that line; the last one before the error stays open, because the
 * broken line may continue it (that `verbs:` belongs to the rule above it).
 */
export interface SyntaxTrust {
  /** Offset ranges [start, end) whose findings stand, in source order. */
  readonly spans: readonly { start: number; end: number }[];
  /** Rules 0 .. closedRules-1 close before the error; later ones are unknown. */
  readonly closedRules: number;
  /** The whole rules list closes before the error: no rule can hide behind it. */
  readonly rulesComplete: boolean;
}

/** Findings that say something is missing: after a syntax error it may only be unreadable. */
const ABSENCE_CODES = new Set(['policy-empty', 'policy-not-a-map', 'api-version-missing', 'kind-missing', 'no-rules']);
/** Findings about the YAML stream itself, which stand whatever the first document holds. */
const STREAM_CODES = new Set(['yaml-syntax', 'yaml-too-complex', 'extra-document']);

/** undefined when the first document has no syntax error: then everything is trusted. */
export function syntaxTrust(model: PolicyModel): SyntaxTrust | undefined {
  const errorAt = model.parsed.firstDocumentErrorAt;
  if (errorAt === undefined) return undefined;
  const cut = lineStart(model.parsed.text, errorAt);
  const spans: { start: number; end: number }[] = [];
  const root = model.root;
  if (!root) return { spans, closedRules: 0, rulesComplete: false };
  const entries = root.entries;
  const closedEntries = closedPrefix(entries.map((e) => ({ start: e.keyStart, end: e.value.end })), cut);
  for (let k = 0; k < closedEntries; k++) spans.push({ start: entries[k]!.keyStart, end: entries[k + 1]!.keyStart });
  // With a duplicate "rules", the last one counts (model.rules): that is the one that must close.
  const rulesEntry = root.byKey.get('rules');
  const rulesComplete = rulesEntry !== undefined && entries.indexOf(rulesEntry) < closedEntries && entries.indexOf(rulesEntry) >= 0;
  const openEntry = entries[closedEntries];
  let closedRules = rulesComplete ? model.rules.length : 0;
  if (!rulesComplete && openEntry === rulesEntry && openEntry.keyStart < cut && openEntry.value.kind === 'seq') {
    const items: TreeNode[] = openEntry.value.items;
    closedRules = closedPrefix(items, cut);
    for (let k = 0; k < closedRules; k++) spans.push({ start: items[k]!.start, end: items[k + 1]!.start });
  }
  return { spans, closedRules, rulesComplete };
}

/**
 * How many leading parts close before `cut`: part k closes when part k+1 starts before the cut. Parts
 * out of source order (an alias points at earlier text) end the prefix: their place is not known.
 */
function closedPrefix(parts: readonly { start: number; end: number }[], cut: number): number {
  let k = 0;
  while (k + 1 < parts.length) {
    const next = parts[k + 1]!;
    if (next.start >= cut || next.start < parts[k]!.end || (k > 0 && parts[k]!.start < parts[k - 1]!.end)) break;
    k++;
  }
  return k;
}

export function isTrusted(trust: SyntaxTrust | undefined, offset: number): boolean {
  return trust === undefined || trust.spans.some((span) => span.start <= offset && offset < span.end);
}

/** Only what the trusted parts support: diagnostics inside them, and those about the YAML stream. */
export function trustedDiagnostics(parsed: PolicyText, trust: SyntaxTrust, diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => {
    const code = String(d.code);
    if (STREAM_CODES.has(code)) return true;
    if (ABSENCE_CODES.has(code)) return false;
    const start = offsetOf(parsed, d.range.start);
    const end = offsetOf(parsed, d.range.end);
    return trust.spans.some((span) => span.start <= start && end <= span.end);
  });
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
