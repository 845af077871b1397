import type { Diagnostic, DiagnosticRelatedInformation, TextEdit } from 'vscode-languageserver-types';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { diagnostic, type Severity } from '../policy/checks/diagnostic';
import type { LineIndexed } from '../policy/yaml/parse';
import { spanRange, type Span } from './source';

/** A quick fix, computed with the finding from the same text (actions recompute and match them). */
export interface ClusterFix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface ClusterDiagnosticData {
  fixes?: ClusterFix[];
  /** The flag a finding is about (hover and the report use it). */
  flag?: string;
}

export interface FindingOptions {
  fixes?: ClusterFix[];
  flag?: string;
  related?: DiagnosticRelatedInformation[];
  unnecessary?: boolean;
}

/** A diagnostic of the cluster engine: code, severity, the exact span, and the fixes when they are knowable. */
export function finding(source: LineIndexed, code: string, severity: Severity, span: Span, message: string, options: FindingOptions = {}): Diagnostic {
  const data: ClusterDiagnosticData = {};
  if (options.fixes && options.fixes.length > 0) data.fixes = options.fixes;
  if (options.flag) data.flag = options.flag;
  const result = diagnostic(code, severity, spanRange(source, span), message, Object.keys(data).length > 0 ? data : undefined);
  if (options.related) result.relatedInformation = options.related;
  if (options.unnecessary) result.tags = [DiagnosticTag.Unnecessary];
  return result;
}
