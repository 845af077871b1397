import type { Position, Range } from 'vscode-languageserver-types';
import { isMap, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';

/**
 * The YAML of one text version, parsed once and shared by every feature (diagnostics, completion,
 * hover). Offsets in `yaml` nodes are UTF-16 offsets into `text`, the same unit LSP positions use.
 */
export interface ParsedYaml {
  readonly text: string;
  readonly documents: Document.Parsed[];
  readonly lineCounter: LineCounter;
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    keepSourceTokens: true,
    prettyErrors: false,
    // kube-apiserver's YAML decoder keeps the last of duplicate keys; we report them ourselves.
    uniqueKeys: false,
    strict: false,
  });
  // parseAllDocuments returns an EmptyStream (not an array) for text with no documents at all.
  return { text, documents: Array.isArray(documents) ? documents : [], lineCounter };
}

/** Top-level `key: scalar` value of a document, or undefined when absent or not a scalar. */
/** LSP range of the UTF-16 offsets [start, end) of `parsed.text`. */
export function rangeOf(parsed: ParsedYaml, start: number, end: number): Range {
  return { start: positionOf(parsed, start), end: positionOf(parsed, end) };
}

function positionOf(parsed: ParsedYaml, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, parsed.text.length));
  const { line, col } = parsed.lineCounter.linePos(clamped);
  return { line: line - 1, character: col - 1 };
}

export function topLevelScalar(document: Document.Parsed, key: string): unknown {
  if (!isMap(document.contents)) return undefined;
  const node = document.contents.get(key, true);
  return isScalar(node) ? node.value : undefined;
}
