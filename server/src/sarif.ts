// The SARIF 2.1.0 frame lint, scan and report share: where file URIs are relative to, and how problems that
// are not findings (a file that could not be read, damaged input) reach a SARIF viewer.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LazyList } from './lazyList';
import { PRODUCT_VERSION } from './version';

/** Relative URIs are relative to this base, which `originalUriBaseIds` maps to the working directory. */
export const SRCROOT = '%SRCROOT%';

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

/** A problem with the run itself rather than a finding: reported as a tool execution notification. */
export interface RunProblem {
  level: 'error' | 'warning';
  message: string;
  file: string;
  line?: number;
}

export interface SarifRun<Results extends object[] | LazyList<object> = object[]> {
  rules: object[];
  /** A LazyList when there may be very many (written item by item, see cli/jsonOutput.ts). */
  results: Results;
  problems: RunProblem[];
  /** False when some input could not be read at all. */
  executionSuccessful: boolean;
}

/**
 * A file's location: relative to %SRCROOT% when it lies under the working directory (what code
 * scanning services expect), else an absolute file URI. Percent-encoded either way.
 */
export function artifactLocation(file: string, cwd = process.cwd()): { uri: string; uriBaseId?: string } {
  // A scan's results name the same file hundreds of thousands of times: its URI is made once.
  if (lastArtifact?.file === file && lastArtifact.cwd === cwd) return { ...lastArtifact.location };
  const base = baseUri(cwd);
  const absolute = pathToFileURL(resolve(cwd, file)).href;
  const location = absolute.startsWith(base) ? { uri: absolute.slice(base.length), uriBaseId: SRCROOT } : { uri: absolute };
  lastArtifact = { file, cwd, location };
  return { ...location };
}

let lastArtifact: { file: string; cwd: string; location: { uri: string; uriBaseId?: string } } | null = null;

export function physicalLocation(file: string, region?: SarifRegion) {
  return { physicalLocation: { artifactLocation: artifactLocation(file), ...(region ? { region } : {}) } };
}

export function sarifLog<Results extends object[] | LazyList<object>>(run: SarifRun<Results>, cwd = process.cwd()) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'k8s-audit', version: PRODUCT_VERSION, rules: run.rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri(cwd) } },
        invocations: [
          {
            executionSuccessful: run.executionSuccessful,
            toolExecutionNotifications: run.problems.map((p) => ({
              level: p.level,
              message: { text: p.message },
              locations: [physicalLocation(p.file, p.line !== undefined ? { startLine: p.line } : undefined)],
            })),
          },
        ],
        results: run.results,
      },
    ],
  };
}

function baseUri(cwd: string): string {
  const href = pathToFileURL(cwd).href;
  return href.endsWith('/') ? href : `${href}/`;
}
