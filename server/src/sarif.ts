import { PRODUCT_VERSION } from './version';

/**
 * The SARIF 2.1.0 envelope every k8s-audit command writes (lint, scan, report): one run of the
 * k8s-audit tool with its rules and results; paths in locations use forward slashes.
 */
export function sarifLog<Rule extends { id: string }, Result>(rules: Rule[], results: Result[]) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'k8s-audit', version: PRODUCT_VERSION, rules } }, results }],
  };
}

/** A file location (1-based line, and the columns when known). */
export function sarifLocation(file: string, region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number }) {
  return { physicalLocation: { artifactLocation: { uri: file.split('\\').join('/') }, region } };
}
