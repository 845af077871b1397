import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, } from 'node:fs';
import {} from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { explainRequest, type ExplainRequest } from '../../../server/src/policy/features/explain';
import { readSample } from '../../../server/src/simulation/readSample';
import { UNMATCHED } from '../../../server/src/simulation/ruleOfRow';
import { simulatePolicy } from '../../../server/src/simulation/simulate';
import type { TrafficSample } from '../../../server/src/simulation/trafficSample';
import { SHARED } from '../helpers';
import { generateLog } from '../auditlog/index/helpers';
import { policyOf } from './helpers';
import { testTempDir } from '../../harness/tempDir';

// `simulate` and `explain` must name the same rule for every request of a log: both ask policy/match.ts,
// and this checks that the simulation hands it the request the way explain's user would describe it.

const FEATURES_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  userGroups: [system:nodes]
  verbs: [update, patch]
  resources: [{group: coordination.k8s.io, resources: [leases]}, {group: "", resources: [nodes/status]}]
- level: None
  nonResourceURLs: [/healthz*, /livez*, /readyz*, /version]
- level: Metadata
  resources: [{group: "", resources: [secrets, configmaps]}]
- level: None
  users: [system:kube-scheduler]
  verbs: [get, list, watch]
- level: Request
  resources: [{group: "", resources: ["pods/*"]}]
  namespaces: [prod, payments]
- level: RequestResponse
  resources: [{group: rbac.authorization.k8s.io}]
- level: None
  resources: [{group: "", resources: [endpoints], resourceNames: [kube-scheduler, kube-controller-manager]}]
- level: Metadata
  namespaces: [""]
- level: Request
  verbs: [create, update, patch, delete]
- level: Metadata
  nonResourceURLs: ["/api*"]
`;

function explainRequestOf(sample: TrafficSample, row: number): ExplainRequest {
  const attrs = sample.kindOf(row).attrs;
  const request: ExplainRequest = { verb: attrs.verb };
  if (attrs.user) {
    request.user = attrs.user.name;
    request.groups = attrs.user.groups;
  }
  if (!attrs.resourceRequest) {
    request.path = attrs.path!;
    return request;
  }
  request.resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource!;
  request.apiGroup = attrs.apiGroup!;
  request.namespace = attrs.namespace!;
  request.name = sample.names.strings[sample.name.data[row]!]!;
  return request;
}

function assertAgreement(sample: TrafficSample, text: string, label: string): number {
  const simulation = simulatePolicy(sample, policyOf(text));
  const answers = new Map<string, number>();
  for (let row = 0; row < sample.rows; row++) {
    const request = explainRequestOf(sample, row);
    const key = JSON.stringify(request);
    let rule = answers.get(key);
    if (rule === undefined) {
      const explained = explainRequest(text, request);
      assert.ok(explained, `${label}: explain refuses the policy`);
      rule = explained.ruleIndex ?? UNMATCHED;
      answers.set(key, rule);
    }
    assert.equal(simulation.ruleOfRow[row], rule, `${label}, row ${row}: ${key}`);
  }
  return sample.rows;
}

const work = testTempDir('simulate-explain-');

describe('simulate and explain agree on the rule of every request', () => {
  it('the generated log, under a policy that uses every kind of condition', async () => {
    const log = join(work, 'audit.log');
    generateLog(log, 5000);
    const { sample } = await readSample([log]);
    assert.equal(sample.rows, 5000);
    assertAgreement(sample, FEATURES_POLICY, 'features policy');
    // Every rule is exercised or deliberately dead; at least most rules see traffic.
    const used = simulatePolicy(sample, policyOf(FEATURES_POLICY)).rules.filter((r) => r.requests > 0).length;
    assert.ok(used >= 6, `only ${used} rules saw traffic`);
  });

  it('per-rule bytes added up by cells equal the requests one by one (a named object moved to its own rule included)', async () => {
    const log = join(work, 'cells.log');
    generateLog(log, 3000, 11);
    const { sample } = await readSample([log]);
    const text = FEATURES_POLICY.replace('rules:\n', 'rules:\n- level: RequestResponse\n  resources: [{group: "", resources: [secrets], resourceNames: [db-credentials]}]\n');
    const simulation = simulatePolicy(sample, policyOf(text), { rowBytes: true });
    const perRule = new Array<number>(simulation.rules.length).fill(0);
    for (let row = 0; row < sample.rows; row++) if (simulation.ruleOfRow[row]! >= 0) perRule[simulation.ruleOfRow[row]!]! += simulation.rowBytes![row]!;
    simulation.rules.forEach((stats, rule) => assert.ok(Math.abs(stats.bytes - perRule[rule]!) < 1e-6 * Math.max(1, stats.bytes), `rule ${rule}: ${stats.bytes} vs ${perRule[rule]}`));
    assert.ok(simulation.rules[0]!.requests > 0, 'the named secret reads have their own rule');
    assert.ok(simulation.exposures.some((e) => e.rule === 0 && e.resource === 'secrets' && e.verb === 'get'));
  });

  it('the corpus logs under the corpus policies', async (t) => {
    const logs = join(SHARED, 'corpus', 'logs');
    const policies = join(SHARED, 'corpus', 'policies');
    if (!existsSync(logs) || !existsSync(policies)) {
      t.skip(`${SHARED}/corpus is missing`);
      return;
    }
    const files = [join(logs, 'audit2rbac', 'demo.log'), ...readdirSync(join(logs, 'falco')).filter((f) => f.endsWith('.json')).map((f) => join(logs, 'falco', f))];
    const { sample } = await readSample(files);
    assert.ok(sample.rows > 30, `only ${sample.rows} requests read`);
    let checked = 0;
    for (const file of ['gce-configure-helper-create-master-audit-policy.yaml', 'kubernetes-website-audit-policy.yaml']) {
      checked += assertAgreement(sample, readFileSync(join(policies, file), 'utf8'), file);
    }
    assert.ok(checked > 60);
  });
});
