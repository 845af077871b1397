import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { codes, covered, policy, rules, withCode } from '../helpers';

// The warnings of spec §10: each with a positive and a negative case, its range and its fix data.

const CATCH_ALL = 'level: Metadata';

describe('YAML structure', () => {
  it('duplicate-key: on the ignored (first) key; none without duplicates', () => {
    const text = rules('level: None\nusers: [a]\nusers: [b]', CATCH_ALL);
    const [d] = withCode(text, 'duplicate-key');
    assert.equal(d!.severity, DiagnosticSeverity.Warning);
    assert.equal(d!.range.start.line, 4);
    assert.equal(covered(text, d!), 'users');
    assert.match(d!.message, /keeps only the last one \(line 6\)/);
    assert.deepEqual(withCode(rules('level: None\nusers: [a]', CATCH_ALL), 'duplicate-key'), []);
  });

  it('extra-document: on the second "---"; a leading or trailing "---" is fine', () => {
    const text = `${rules(CATCH_ALL)}---\n${rules('level: None')}`;
    const [d] = withCode(text, 'extra-document');
    assert.equal(covered(text, d!), '---');
    assert.equal(d!.range.start.line, 4);
    assert.deepEqual(codes(`---\n${rules(CATCH_ALL)}---\n`), []);
  });
});

describe('rule order', () => {
  it('no-catch-all on the last rule; none when a catch-all ends the rules', () => {
    const text = rules('level: Metadata\nverbs: [create]');
    const [d] = withCode(text, 'no-catch-all');
    assert.equal(covered(text, d!), 'Metadata');
    assert.deepEqual(d!.data, { append: { level: 'Metadata' } });
    assert.deepEqual(withCode(rules('level: Metadata\nverbs: [create]', CATCH_ALL), 'no-catch-all'), []);
  });

  it('rule-after-catch-all names the catch-all', () => {
    const text = rules(CATCH_ALL, 'level: None\nusers: [system:kube-proxy]');
    const [d] = withCode(text, 'rule-after-catch-all');
    assert.equal(d!.range.start.line, 4);
    assert.match(d!.message, /rule 1 \(line 4\) has no conditions/);
    assert.deepEqual(d!.data, { shadowedBy: 0 });
  });

  it('rule-redundant (a hint) when the shadowed rule would do the same thing anyway', () => {
    const text = rules('{level: None, userGroups: [system:nodes]}', '{level: None, userGroups: [system:nodes], verbs: [get]}', CATCH_ALL, CATCH_ALL);
    const ds = withCode(text, 'rule-redundant');
    assert.deepEqual(ds.map((d) => [d.range.start.line, d.severity]), [[4, DiagnosticSeverity.Hint], [6, DiagnosticSeverity.Hint]]);
    assert.deepEqual(codes(text).filter((c) => c.startsWith('rule-') && c !== 'rule-redundant'), []);
    // Different stages: the later rule's stages never apply, so that is a real warning.
    assert.equal(withCode(rules(CATCH_ALL, 'level: Metadata\nomitStages: [RequestReceived]'), 'rule-after-catch-all').length, 1);
  });

  it('rule-shadowed: a broader earlier rule wins, and the message names it', () => {
    const text = rules(
      '{level: Metadata, resources: [{group: "", resources: [secrets, configmaps]}]}',
      '{level: None, verbs: [get], resources: [{group: "", resources: [secrets]}], namespaces: [kube-system]}',
      CATCH_ALL,
    );
    const [d] = withCode(text, 'rule-shadowed');
    assert.equal(d!.range.start.line, 4);
    assert.match(d!.message, /rule 1 \(line 4\) matches every request this rule matches/);
    assert.match(d!.message, /get the level Metadata of rule 1/);
    assert.equal(d!.relatedInformation?.[0]?.location.range.start.line, 3);
  });

  it('rule-shadowed through wildcards: pods/* covers pods and pods/log, * covers everything, userGroups cover', () => {
    assert.equal(withCode(rules('{level: None, resources: [{resources: ["pods/*"]}]}', '{level: Request, resources: [{resources: [pods, pods/log]}]}', CATCH_ALL), 'rule-shadowed').length, 1);
    assert.equal(withCode(rules('{level: None, resources: [{group: apps, resources: ["*"]}]}', '{level: Request, resources: [{group: apps, resources: [deployments/scale]}]}', CATCH_ALL), 'rule-shadowed').length, 1);
    assert.equal(withCode(rules('{level: None, userGroups: [a, b]}', '{level: Request, userGroups: [b], verbs: [get]}', CATCH_ALL), 'rule-shadowed').length, 1);
    assert.equal(withCode(rules('{level: None, nonResourceURLs: ["/healthz*"]}', '{level: Request, nonResourceURLs: ["/healthz/etcd", "/healthz*"]}', CATCH_ALL), 'rule-shadowed').length, 1);
  });

  it('coverage checks every listed user, group and namespace', () => {
    // (Not x/y: unquoted y is a YAML 1.1 boolean for kube-apiserver.)
    const earlier = '{level: None, users: [a, b], userGroups: [g1, g2], namespaces: [nx, ny], resources: [{resources: [pods, secrets]}]}';
    const shadowed = (later: string) => withCode(rules(earlier, later, CATCH_ALL), 'rule-shadowed').length;
    assert.equal(shadowed('{level: Request, users: [b, a], userGroups: [g2], namespaces: [ny, nx], resources: [{resources: [secrets]}]}'), 1);
    assert.equal(shadowed('{level: Request, users: [a, c], userGroups: [g2], namespaces: [ny], resources: [{resources: [secrets]}]}'), 0);
    assert.equal(shadowed('{level: Request, users: [a], userGroups: [g1, g3], namespaces: [ny], resources: [{resources: [secrets]}]}'), 0);
    assert.equal(shadowed('{level: Request, users: [a], userGroups: [g1], namespaces: [nx, nz], resources: [{resources: [secrets]}]}'), 0);
    assert.equal(shadowed('{level: Request, users: [a], userGroups: [g1], namespaces: [nx], resources: [{resources: [secrets, configmaps]}]}'), 0);
  });

  it('no shadowing when the later rule reaches requests the earlier one does not', () => {
    const cases = [
      // pods does not cover pods/log
      ['{level: None, resources: [{resources: [pods]}]}', '{level: Request, resources: [{resources: [pods/log]}]}'],
      // users do not cover "everyone in a group"
      ['{level: None, users: [alice]}', '{level: Request, userGroups: [devs]}'],
      // a group rule does not cover users (they may not be in the group)
      ['{level: None, userGroups: [devs]}', '{level: Request, users: [alice]}'],
      // resourceNames only cover named requests
      ['{level: None, resources: [{resources: [configmaps], resourceNames: [leader]}]}', '{level: Request, resources: [{resources: [configmaps]}]}'],
      // namespaces rules never match non-resource URLs
      ['{level: None, namespaces: [default]}', '{level: Request, verbs: [get]}'],
      // a different group
      ['{level: None, resources: [{group: apps}]}', '{level: Request, resources: [{group: batch}]}'],
      // a prefix that does not cover
      ['{level: None, nonResourceURLs: ["/apis*"]}', '{level: Request, nonResourceURLs: ["/api*"]}'],
    ];
    for (const [first, second] of cases) {
      assert.deepEqual(codes(rules(first!, second!, CATCH_ALL)).filter((c) => c.startsWith('rule-')), [], `${first} / ${second}`);
    }
  });
});

describe('values that never match', () => {
  it('wildcard-literal in users, userGroups, verbs and namespaces; not in resources', () => {
    for (const field of ['users', 'userGroups', 'verbs', 'namespaces']) {
      const text = rules(`level: None\n${field}: ["*"]`, CATCH_ALL);
      const [d] = withCode(text, 'wildcard-literal');
      assert.ok(d, field);
      assert.equal(covered(text, d!), '"*"');
      assert.deepEqual(d!.data, { removeField: field });
    }
    assert.deepEqual(withCode(rules('{level: None, resources: [{resources: ["*"]}]}', CATCH_ALL), 'wildcard-literal'), []);
  });

  it('verb-never-occurs: authorization verbs, upper case, HTTP methods on resource rules; not real verbs', () => {
    const text = rules('{level: None, verbs: [impersonate, GET, post], resources: [{resources: [pods]}]}', CATCH_ALL);
    const ds = withCode(text, 'verb-never-occurs');
    assert.deepEqual(ds.map((d) => covered(text, d)), ['impersonate', 'GET', 'post']);
    assert.deepEqual(ds.map((d) => d.data), [{ removeItem: true }, { replacement: 'get' }, { replacement: 'create' }]);
    assert.deepEqual(withCode(rules('{level: None, verbs: [get, list, watch, deletecollection, proxy]}', CATCH_ALL), 'verb-never-occurs'), []);
    assert.deepEqual(withCode(rules('{level: None, verbs: [post, head], nonResourceURLs: ["/x"]}', CATCH_ALL), 'verb-never-occurs'), []);
  });

  it('resource-names-verb: create/list/watch/deletecollection with resourceNames; not get/update', () => {
    const text = rules('{level: None, verbs: [get, create, list], resources: [{resources: [configmaps], resourceNames: [leader]}]}', CATCH_ALL);
    assert.deepEqual(withCode(text, 'resource-names-verb').map((d) => covered(text, d)), ['create', 'list']);
    assert.deepEqual(withCode(rules('{level: None, verbs: [get, update], resources: [{resources: [configmaps], resourceNames: [leader]}]}', CATCH_ALL), 'resource-names-verb'), []);
    assert.deepEqual(withCode(rules('{level: None, verbs: [create], resources: [{resources: [configmaps]}]}', CATCH_ALL), 'resource-names-verb'), []);
  });

  it('resource-star-star: "*/*" matches nothing; "*" is fine', () => {
    const text = rules('{level: None, resources: [{resources: ["*/*"]}]}', CATCH_ALL);
    const [d] = withCode(text, 'resource-star-star');
    assert.equal(covered(text, d!), '"*/*"');
    assert.deepEqual(d!.data, { replacement: '*' });
    assert.deepEqual(withCode(rules('{level: None, resources: [{resources: ["*", "*/scale"]}]}', CATCH_ALL), 'resource-star-star'), []);
  });

  it('group-core-name: core and v1 are not the core group; "" is', () => {
    for (const group of ['core', 'v1']) {
      const [d] = withCode(rules(`{level: None, resources: [{group: ${group}, resources: [pods]}]}`, CATCH_ALL), 'group-core-name');
      assert.deepEqual(d!.data, { replacement: '' }, group);
    }
    assert.deepEqual(withCode(rules('{level: None, resources: [{group: "", resources: [pods]}]}', CATCH_ALL), 'group-core-name'), []);
  });

  it('namespaces-without-resources on the namespaces key; not with resources', () => {
    const text = rules('level: None\nnamespaces: [kube-system]', CATCH_ALL);
    const [d] = withCode(text, 'namespaces-without-resources');
    assert.equal(covered(text, d!), 'namespaces');
    assert.deepEqual(withCode(rules('{level: None, namespaces: [kube-system], resources: [{resources: [pods]}]}', CATCH_ALL), 'namespaces-without-resources'), []);
  });
});

describe('the API catalog', () => {
  it('resource-wrong-group: deployments and ingresses are not core', () => {
    const text = rules('{level: None, resources: [{group: "", resources: [deployments, ingresses, pods]}]}', CATCH_ALL);
    const ds = withCode(text, 'resource-wrong-group');
    assert.deepEqual(ds.map((d) => covered(text, d)), ['deployments', 'ingresses']);
    assert.deepEqual(ds.map((d) => d.data), [{ group: 'apps' }, { group: 'networking.k8s.io' }]);
    assert.deepEqual(withCode(rules('{level: None, resources: [{group: apps, resources: [deployments]}]}', CATCH_ALL), 'resource-wrong-group'), []);
  });

  it('resource-unknown and subresource-unknown suggest the real name; CRD groups are left alone', () => {
    const text = rules('{level: None, resources: [{group: "", resources: [pod, Secrets, pods/logs]}]}', CATCH_ALL);
    assert.deepEqual(withCode(text, 'resource-unknown').map((d) => d.data), [{ replacement: 'pods' }, { replacement: 'secrets' }]);
    assert.deepEqual(withCode(text, 'subresource-unknown').map((d) => d.data), [{ replacement: 'pods/log' }]);
    assert.deepEqual(codes(rules('{level: None, resources: [{group: example.com, resources: [widgets, widgets/status]}]}', CATCH_ALL)), []);
    assert.deepEqual(codes(rules('{level: Metadata, resources: [{group: "", resources: [pods/exec, serviceaccounts/token, "pods/*"]}]}', CATCH_ALL)), []);
  });

  it('group-removed and user-removed depend on the release', () => {
    const text = rules('{level: None, users: ["system:unsecured"], resources: [{group: extensions}]}', CATCH_ALL);
    assert.deepEqual(codes(text, '1.33').sort(), ['group-removed', 'user-removed']);
    assert.deepEqual(codes(text, '1.19'), []);
    assert.deepEqual(codes(text, '1.21'), ['user-removed']);
  });

  it('resource-removed: podsecuritypolicies from 1.25', () => {
    const text = rules('{level: None, resources: [{group: policy, resources: [podsecuritypolicies]}]}', CATCH_ALL);
    assert.deepEqual(codes(text, '1.25'), ['resource-removed']);
    assert.deepEqual(codes(text, '1.24'), []);
  });

  it('field-unsupported-version: omitManagedFields before 1.23', () => {
    const text = policy('omitManagedFields: true\nrules:\n- level: Metadata\n');
    assert.deepEqual(codes(text, '1.22'), ['field-unsupported-version']);
    assert.deepEqual(codes(text, '1.23'), []);
  });
});

describe('stages and levels', () => {
  it('all-stages-omitted at the policy or the rule; not for three stages', () => {
    const all = '[RequestReceived, ResponseStarted, ResponseComplete, Panic]';
    assert.equal(withCode(policy(`omitStages: ${all}\nrules:\n- level: Metadata\n`), 'all-stages-omitted').length, 1);
    const text = policy(`omitStages: [RequestReceived, Panic]\nrules:\n- level: Request\n  verbs: [create]\n  omitStages: [ResponseStarted, ResponseComplete]\n- level: Metadata\n`);
    const [d] = withCode(text, 'all-stages-omitted');
    assert.equal(covered(text, d!), 'omitStages');
    assert.equal(d!.range.start.line, 6);
    assert.deepEqual(withCode(policy('omitStages: [RequestReceived, ResponseStarted, Panic]\nrules:\n- level: Metadata\n'), 'all-stages-omitted'), []);
  });

  it('response-complete-omitted on the stage; RequestReceived alone is fine', () => {
    const text = policy('omitStages: [ResponseComplete]\nrules:\n- level: Metadata\n');
    const [d] = withCode(text, 'response-complete-omitted');
    assert.equal(covered(text, d!), 'ResponseComplete');
    assert.deepEqual(codes(policy('omitStages: [RequestReceived]\nrules:\n- level: Metadata\n')), []);
  });

  it('body-level-non-resource is information; Metadata on URLs is fine', () => {
    const text = rules('{level: RequestResponse, nonResourceURLs: ["/metrics"]}', CATCH_ALL);
    const [d] = withCode(text, 'body-level-non-resource');
    assert.equal(d!.severity, DiagnosticSeverity.Information);
    assert.equal(covered(text, d!), 'RequestResponse');
    assert.deepEqual(withCode(rules('{level: Metadata, nonResourceURLs: ["/metrics"]}', CATCH_ALL), 'body-level-non-resource'), []);
  });

  it('omit-managed-fields-no-effect (a hint) at None or Metadata; not at Request', () => {
    const text = rules('level: Metadata\nverbs: [get]\nomitManagedFields: true', CATCH_ALL);
    const [d] = withCode(text, 'omit-managed-fields-no-effect');
    assert.equal(d!.severity, DiagnosticSeverity.Hint);
    assert.equal(covered(text, d!), 'omitManagedFields');
    assert.deepEqual(withCode(rules('level: Request\nverbs: [create]\nomitManagedFields: true', CATCH_ALL), 'omit-managed-fields-no-effect'), []);
  });

  it('policy-logs-nothing when every rule is None; not when one logs', () => {
    const text = rules('level: None');
    const [d] = withCode(text, 'policy-logs-nothing');
    assert.equal(covered(text, d!), 'rules');
    assert.deepEqual(withCode(rules('level: None\nusers: [a]', CATCH_ALL), 'policy-logs-nothing'), []);
  });
});

describe('bodies: secrets and broad reads, judged by the first-match evaluator', () => {
  it('sensitive-data-logged for a catch-all at Request that really catches secrets', () => {
    const text = rules('level: Request');
    const [d] = withCode(text, 'sensitive-data-logged');
    assert.equal(covered(text, d!), 'Request');
    assert.match(d!.message, /secrets \(create, update, patch\)/);
    assert.match(d!.message, /tokenreviews \(create\)/);
    assert.doesNotMatch(d!.message, /serviceaccounts\/token/); // its token is only in the response
  });

  it('not when an earlier Metadata rule catches secrets, configmaps, tokenreviews and tokens first', () => {
    const text = rules(
      '{level: Metadata, resources: [{group: "", resources: [secrets, configmaps, serviceaccounts/token]}, {group: authentication.k8s.io, resources: [tokenreviews]}]}',
      'level: RequestResponse\nverbs: [create, update, patch, delete]',
      CATCH_ALL,
    );
    assert.deepEqual(withCode(text, 'sensitive-data-logged'), []);
  });

  it('through a wildcard and for the users a rule names', () => {
    const text = rules(
      '{level: Metadata, resources: [{resources: [secrets]}]}',
      '{level: RequestResponse, users: [admin], resources: [{resources: ["*"]}]}',
      CATCH_ALL,
    );
    const [d] = withCode(text, 'sensitive-data-logged');
    assert.match(d!.message, /configmaps \(get, list, watch, create, update, patch\)/);
    assert.doesNotMatch(d!.message, /secrets/);
  });

  it('request-response-broad for RequestResponse on a catch-all or whole groups of reads; not after a read rule', () => {
    assert.equal(withCode(rules('level: RequestResponse'), 'request-response-broad').length, 1);
    assert.equal(withCode(rules('{level: RequestResponse, resources: [{group: apps}]}', CATCH_ALL), 'request-response-broad').length, 1);
    const guarded = rules('{level: Request, verbs: [get, list, watch], resources: [{group: apps}]}', '{level: RequestResponse, resources: [{group: apps}]}', CATCH_ALL);
    assert.deepEqual(withCode(guarded, 'request-response-broad'), []);
    assert.deepEqual(withCode(rules('{level: RequestResponse, resources: [{group: apps, resources: [deployments]}]}', CATCH_ALL), 'request-response-broad'), []);
  });
});

describe('CIS 3.2.2 coverage (information)', () => {
  it('silent when a Metadata catch-all covers every concern', () => {
    assert.deepEqual(codes(rules(CATCH_ALL)), []);
  });

  it('names the rule that decides each gap, and summarises what is covered', () => {
    const text = rules('{level: None, resources: [{resources: [pods/exec, pods/portforward]}]}', '{level: RequestResponse, resources: [{resources: [secrets]}]}', CATCH_ALL);
    const gaps = withCode(text, 'cis-3.2.2');
    assert.equal(gaps.length, 2);
    assert.ok(gaps.every((d) => d.severity === DiagnosticSeverity.Information));
    const exec = gaps.find((d) => d.range.start.line === 3)!;
    assert.match(exec.message, /pods\/exec should be logged, but create, get: None by rule 1 \(line 4\)/);
    const secrets = gaps.find((d) => d.range.start.line === 4)!;
    assert.match(secrets.message, /secrets should be logged at Metadata only, but .*RequestResponse by rule 2/);
    const [summary] = withCode(text, 'cis-3.2.2-summary');
    assert.match(summary!.message, /configmaps \(.*Metadata by rule 3/);
  });

  it('uses first-match semantics: a later Metadata rule for secrets does not help if a catch-all wins first', () => {
    const text = rules('level: RequestResponse', '{level: Metadata, resources: [{resources: [secrets]}]}');
    assert.ok(withCode(text, 'cis-3.2.2').some((d) => /secrets should be logged at Metadata only/.test(d.message)));
  });
});
