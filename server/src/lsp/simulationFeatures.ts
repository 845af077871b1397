import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CodeLensRefreshRequest, type CodeLens, type Connection, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { loadPolicy } from '../policy/checks/policyDiagnostics';
import { rangeOf } from '../policy/yaml/parse';
import type { SampleLogsResult } from '../protocol/simulation';
import { REPORT_COMMAND, simulationLenses } from '../simulation/codeLenses';
import { comparePolicies } from '../simulation/compare';
import { expandLogPatterns } from '../simulation/logFiles';
import { readSample } from '../simulation/readSample';
import { simulationReport, type ReportInput } from '../simulation/report';
import { SampleCache } from '../simulation/sampleCache';
import { simulatePolicy } from '../simulation/simulate';
import { simulationPolicy } from '../simulation/simulationPolicy';
import { proposeTune } from '../simulation/tune/proposeTune';
import { tuneReport } from '../simulation/tune/tuneReport';
import type { EditorHandlers } from './editorRequests';
import type { SettingsStore } from './settings';

export const SIMULATION_CAPABILITIES: ServerCapabilities = { codeLensProvider: { resolveProvider: false } };

/** How long a resolution of the k8sAudit.simulation.logs patterns is reused (globs walk directories). */
const RESOLVE_MS = 5000;

/**
 * CodeLens above each rule of a policy (what it would log over the sample logs), the report and the
 * tuned policy on request (its handlers of the editor's requests, returned). Samples are read once and
 * cached (sampleCache.ts); each edit re-simulates the new text over the cached sample.
 */
export function registerSimulationFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: () => SettingsStore,
  workspaceFolders: () => string[],
  canRefreshLenses: () => boolean,
): Pick<EditorHandlers, 'sampleLogs' | 'simulate' | 'tune'> {
  const refresh = () => {
    if (canRefreshLenses()) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };
  const samples = new SampleCache(refresh);
  let resolved: { at: number; result: Promise<SampleLogsResult> } | undefined;
  const sampleLogs = (): Promise<SampleLogsResult> => {
    listen();
    if (!resolved || Date.now() - resolved.at > RESOLVE_MS) {
      const patterns = (logs: unknown) => (Array.isArray(logs) ? logs.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : []);
      resolved = { at: Date.now(), result: settings().get().then((s) => expandLogPatterns(patterns(s.simulation?.logs), workspaceFolders())) };
    }
    return resolved.result;
  };
  const version = async () => (await settings().get()).kubernetesVersion;
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    settings().onDidInvalidate(() => {
      resolved = undefined;
      refresh();
    });
  };

  connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[] | null> => {
    const document = documents.get(textDocument.uri);
    if (!document) return null;
    const text = document.getText();
    const loaded = loadPolicy(document.uri, text);
    if (!loaded) return null;
    const rulesEntry = loaded.model.root?.byKey.get('rules');
    const rulesLine = rulesEntry ? rangeOf(loaded.parsed, rulesEntry.keyStart, rulesEntry.keyStart).start.line : 0;
    const at = (title: string): CodeLens[] => [{ range: { start: { line: rulesLine, character: 0 }, end: { line: rulesLine, character: 0 } }, command: { title, command: REPORT_COMMAND, arguments: [document.uri] } }];
    const { files } = await sampleLogs();
    if (files.length === 0) return at('Simulate this policy against a sample log…');
    const { ready, loading } = samples.request(files);
    if (!ready) {
      loading.catch((error: unknown) => connection.console.warn(`Sample logs for simulation: ${String(error)}`));
      return at(`Reading ${files.length} sample log(s) for simulation…`);
    }
    return simulationLenses(document.uri, text, ready, rulesLine, await version());
  });

  const simulate: EditorHandlers['simulate'] = async (params) => {
    const text = await policyText(documents, params.uri);
    const kubernetesVersion = await version();
    const checkOptions = kubernetesVersion ? { kubernetesVersion } : {};
    const policy = simulationPolicy(text, checkOptions);
    if (!policy || policy.policy.rules.length === 0) return { error: 'This file is not an audit policy with rules.' };
    const files = params.logs ?? (await sampleLogs()).files;
    if (files.length === 0) return { error: 'No sample log: pick one, or name some in the k8sAudit.simulation.logs setting.' };
    const loaded = params.logs ? await readSample(files).then((r) => ({ files, ...r })) : await samples.request(files).loading;
    const simulation = simulatePolicy(loaded.sample, policy.policy, { top: 5, rowBytes: params.compare !== undefined });
    const input: ReportInput = { policyName: params.uri.split('/').pop() ?? params.uri, logs: files, policy, simulation, read: loaded.read };
    if (params.compare) {
      const other = simulationPolicy(params.compare.text, checkOptions);
      if (other && other.policy.rules.length > 0) {
        const otherSimulation = simulatePolicy(loaded.sample, other.policy, { rowBytes: true });
        input.compare = { policyName: params.compare.label, policy: other, simulation: otherSimulation, comparison: comparePolicies(simulation, otherSimulation) };
      }
    }
    return { report: simulationReport(input) };
  };

  const tune: EditorHandlers['tune'] = async (params) => {
    const files = params.logs ?? (await sampleLogs()).files;
    if (files.length === 0) return { error: 'No sample log: pick one, or name some in the k8sAudit.simulation.logs setting.' };
    const kubernetesVersion = await version();
    const checkOptions = kubernetesVersion ? { kubernetesVersion } : {};
    let baseText: string | undefined;
    let base;
    if (params.uri) {
      baseText = await policyText(documents, params.uri);
      base = simulationPolicy(baseText, checkOptions);
      if (!base || base.policy.rules.length === 0) return { error: 'This file is not an audit policy with rules.' };
      if (base.errors.length > 0) return { error: 'kube-apiserver would refuse this policy: fix its errors (Problems panel) before tuning it.' };
    }
    const detectors = await settings().detectors();
    const { sample } = await readSample(files, { detectors: detectors.selection });
    if (sample.rows === 0) return { error: 'The sample logs hold no requests.' };
    // The same system users as the detectors (k8sAudit.detectors.systemPrincipals), when set.
    const principals = (await settings().get()).detectors?.systemPrincipals;
    const systemPrincipals = Array.isArray(principals) && principals.every((p) => typeof p === 'string') ? (principals as string[]) : undefined;
    const result = proposeTune(sample, { ...(base ? { base } : {}), ...(systemPrincipals ? { systemPrincipals } : {}) });
    return { report: tuneReport({ result, logs: files, ...(baseText !== undefined && base ? { baseText, baseName: params.uri!.split('/').pop()! } : {}), checkOptions }) };
  };

  return { sampleLogs, simulate, tune };
}

/** The open document's text (unsaved edits included), else the file on disk. */
async function policyText(documents: TextDocuments<TextDocument>, uri: string): Promise<string> {
  const open = documents.get(uri);
  if (open) return open.getText();
  return readFile(fileURLToPath(uri), 'utf8');
}
