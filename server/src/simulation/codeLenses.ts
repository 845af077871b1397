import { basename } from 'node:path';
import type { CodeLens } from 'vscode-languageserver-types';
import { levelRank } from '../policy/types';
import { perDay } from './report';
import { simulatePolicy, type Simulation } from './simulate';
import { simulationPolicy } from './simulationPolicy';
import type { LoadedSample } from './sampleCache';
import { formatBytes, formatShare } from '../protocol/wording';

/** The command a lens runs: open the report of this policy. */
export const REPORT_COMMAND = 'k8sAudit.simulatePolicy';

/** Simulations of the last few (text, sample) pairs: the editor asks for lenses again without an edit. */
const recent: { text: string; sample: LoadedSample; simulation: Simulation; lines: number[]; errors: number }[] = [];

function simulated(text: string, loaded: LoadedSample, kubernetesVersion?: string) {
  const known = recent.find((r) => r.text === text && r.sample === loaded);
  if (known) return known;
  const policy = simulationPolicy(text, kubernetesVersion ? { kubernetesVersion } : {});
  if (!policy) return undefined;
  const entry = { text, sample: loaded, simulation: simulatePolicy(loaded.sample, policy.policy), lines: policy.ruleLines, errors: policy.errors.length };
  recent.push(entry);
  if (recent.length > 4) recent.shift();
  return entry;
}

function lens(line: number, title: string, uri: string): CodeLens {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: REPORT_COMMAND, arguments: [uri] } };
}

function volume(bytes: number, seconds: number, lowerBound: boolean): string {
  const amount = seconds > 0 ? `${formatBytes(perDay(bytes, seconds)!)}/day` : formatBytes(bytes);
  return `${lowerBound ? '≥' : '≈'} ${amount}`;
}

/**
 * Above each rule: its share of the sample's requests, what it would write per day, its level
 * ("41% of requests · ≈ 1.2 GB/day · Metadata"); dead rules said so; above `rules:` the sample, the
 * total and the unmatched share. `rulesLine` is where the header goes.
 */
export function simulationLenses(uri: string, text: string, loaded: LoadedSample, rulesLine: number, kubernetesVersion?: string): CodeLens[] {
  const result = simulated(text, loaded, kubernetesVersion);
  if (!result) return [];
  const { simulation, lines } = result;
  const sample = loaded.sample;
  const seconds = sample.seconds;
  const rows = Math.max(1, sample.rows);
  const lenses: CodeLens[] = [];
  const names = loaded.files.map((f) => basename(f));
  const header = [
    ...(result.errors > 0 ? ['⚠ kube-apiserver would refuse this policy: simulated as written'] : []),
    `Sample: ${names[0]}${names.length > 1 ? ` (+${names.length - 1})` : ''}, ${sample.rows.toLocaleString('en-US')} requests`,
    `${volume(simulation.totals.bytes, seconds, simulation.totals.unknownBodyRequests > 0)} in all`,
    `${formatShare(simulation.unmatched.requests / rows)} unmatched (not logged)`,
    'Show report',
  ];
  lenses.push(lens(rulesLine, header.join(' · '), uri));
  simulation.rules.forEach((stats, index) => {
    const line = lines[index];
    if (line === undefined) return;
    const level = simulation.policy.rules[index]!.level;
    let title: string;
    if (stats.requests === 0) title = 'dead: matches no request of the sample';
    else if (levelRank(level) === 0) title = `${formatShare(stats.requests / rows)} of requests · not logged (${level || 'no level'})`;
    else {
      title = `${formatShare(stats.requests / rows)} of requests · ${volume(stats.bytes, seconds, stats.unknownBodyRequests > 0)} · ${level}`;
      const exposed = simulation.exposures.filter((e) => e.rule === index);
      if (exposed.length > 0) title += ` · ⚠ logs secret values (${exposed.map((e) => `${e.verb} ${e.resource}`).join(', ')})`;
    }
    lenses.push(lens(line, title, uri));
  });
  return lenses;
}
