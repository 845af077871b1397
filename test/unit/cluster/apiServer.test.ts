import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { check, fixture, where, withCode } from './helpers';

const pod = (args: string[], extra = '') =>
  ['apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: kube-apiserver', '    command:', '    - kube-apiserver', ...args.map((a) => `    - ${a}`), extra].join('\n') + '\n';

describe('kube-apiserver static pod manifest', () => {
  it('a complete setup has no finding', () => {
    assert.deepEqual(check(fixture('kube-apiserver-good.yaml')), []);
  });

  it('no audit flags: one warning on the command key, with the fix that adds the policy flag', () => {
    const text = fixture('kube-apiserver-no-audit.yaml');
    const diagnostics = check(text);
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d)]), [['audit-policy-file-missing', '11:4-11:11 command']]);
    assert.equal(diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    assert.match(diagnostics[0]!.message, /nothing is logged/);
    assert.deepEqual((diagnostics[0]!.data as { fixes: { title: string }[] }).fixes.map((f) => f.title), ['Add --audit-policy-file=/etc/kubernetes/audit-policy.yaml and mount it']);
  });

  it('a weak setup: maxage on its value, missing maxbackup at the log path flag, an unmounted log directory, a writable policy mount', () => {
    const text = fixture('kube-apiserver-weak.yaml');
    const diagnostics = check(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d)]),
      [
        ['audit-log-maxbackup', '14:6-14:22 --audit-log-path'],
        ['audit-mount-missing', '15:6-15:41 /var/log/kubernetes/audit/audit.log'],
        ['audit-log-maxage', '16:25-16:26 7'],
        ['audit-mount-writable', '20:6-20:15 mountPath'],
      ],
    );
    const maxage = withCode(diagnostics, 'audit-log-maxage')[0]!;
    assert.match(maxage.message, /deleted after 7 days.*CIS 1\.2\.17 asks for 30 or more/);
    assert.equal(withCode(diagnostics, 'audit-mount-missing')[0]!.severity, DiagnosticSeverity.Warning);
  });

  it('--flag value form: the value is the next item, and its range is that item', () => {
    const text = pod(['--audit-policy-file', '/etc/kubernetes/pki/audit-policy.yaml', '--audit-log-path', '"-"']);
    const diagnostics = check(text);
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d)]), [
      ['audit-mount-missing', '9:6-9:43 /etc/kubernetes/pki/audit-policy.yaml'],
      ['audit-log-stdout', '11:7-11:8 -'],
    ]);
  });

  it('policy file without a backend: the warning sits on the policy flag name', () => {
    const text = pod(['--audit-policy-file=/etc/kubernetes/audit-policy.yaml']);
    assert.deepEqual(check(text).map((d) => [d.code, where(text, d)]), [
      ['audit-backend-missing', '8:6-8:25 --audit-policy-file'],
      ['audit-mount-missing', '8:26-8:59 /etc/kubernetes/audit-policy.yaml'],
    ]);
  });

  it('apiserver validation errors, in its own words', () => {
    const text = pod([
      '--audit-policy-file=/etc/p.yaml',
      '--audit-log-path=/var/log/a/audit.log',
      '--audit-log-maxage=-1',
      '--audit-log-maxbackup=ten',
      '--audit-log-maxsize=100',
      '--audit-log-format=text',
      '--audit-log-mode=async',
      '--audit-log-max-age=30',
    ]);
    const diagnostics = check(text).filter((d) => d.severity === DiagnosticSeverity.Error && d.code !== 'audit-mount-missing');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d), d.message]),
      [
        ['audit-flag-negative', '10:25-10:27 -1', "--audit-log-maxage -1 can't be a negative number"],
        ['audit-flag-invalid-value', '11:28-11:31 ten', 'invalid argument "ten" for "--audit-log-maxbackup" flag: strconv.ParseInt: parsing "ten": invalid syntax'],
        ['audit-log-format-invalid', '13:25-13:29 text', 'invalid audit log format text, allowed formats are "legacy,json"'],
        ['audit-mode-invalid', '14:23-14:28 async', 'invalid audit log mode async, allowed modes are "batch,blocking,blocking-strict"'],
        ['audit-flag-unknown', '15:6-15:25 --audit-log-max-age', 'unknown flag: --audit-log-max-age: kube-apiserver does not start. Did you mean --audit-log-maxage?'],
      ],
    );
  });

  it('batch and truncate flags that make no sense', () => {
    const text = pod([
      '--audit-policy-file=/etc/kubernetes/pki/p.yaml',
      '--audit-log-path=/var/log/a/audit.log',
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=10',
      '--audit-log-maxsize=100',
      '--audit-log-batch-max-size=100',
      '--audit-webhook-config-file=/etc/kubernetes/pki/webhook.yaml',
      '--audit-webhook-mode=batch',
      '--audit-webhook-batch-buffer-size=0',
      '--audit-webhook-truncate-max-event-size=2048',
      '--audit-webhook-truncate-max-batch-size=1024',
    ]);
    const diagnostics = check(text).filter((d) => d.code !== 'audit-mount-missing');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d)]),
      [
        ['audit-flag-ignored', '13:6-13:32 --audit-log-batch-max-size'],
        ['audit-batch-invalid', '16:40-16:41 0'],
        ['audit-flag-ignored', '17:6-17:45 --audit-webhook-truncate-max-event-size'],
        ['audit-flag-ignored', '18:6-18:45 --audit-webhook-truncate-max-batch-size'],
        ['audit-truncate-invalid', '18:46-18:50 1024'],
      ],
    );
    assert.match(withCode(diagnostics, 'audit-flag-ignored')[0]!.message, /only used in batch mode, and --audit-log-mode is blocking \(the default\)/);
    assert.equal(withCode(diagnostics, 'audit-batch-invalid')[0]!.message, 'invalid audit batch webhook buffer size 0, must be a positive number');
    assert.equal(withCode(diagnostics, 'audit-truncate-invalid')[0]!.message, 'invalid audit truncate webhook max batch size 1024, must be greater than max event size (2048)');
  });

  it('throttling a batched log backend without a QPS: its default is 0, which the apiserver refuses', () => {
    const text = pod(['--audit-policy-file=/etc/kubernetes/pki/p.yaml', '--audit-log-path=-', '--audit-log-mode=batch', '--audit-log-batch-throttle-enable']);
    const errors = check(text).filter((d) => d.code === 'audit-batch-invalid');
    assert.deepEqual(errors.map((d) => [where(text, d), d.message]), [
      ['11:6-11:39 --audit-log-batch-throttle-enable', 'invalid audit batch log throttle QPS 0, must be a positive number'],
      ['11:6-11:39 --audit-log-batch-throttle-enable', 'invalid audit batch log throttle burst 0, must be a positive number'],
    ]);
  });

  it('a flag given twice: the earlier one is marked as ignored', () => {
    const text = pod(['--audit-policy-file=/etc/kubernetes/pki/a.yaml', '--audit-policy-file=/etc/kubernetes/pki/b.yaml', '--audit-log-path=-']);
    const duplicate = withCode(check(text), 'audit-flag-duplicate');
    assert.deepEqual(duplicate.map((d) => where(text, d)), ['8:6-8:52 --audit-policy-file=/etc/kubernetes/pki/a.yaml']);
    assert.match(duplicate[0]!.message, /uses the last value \(\/etc\/kubernetes\/pki\/b\.yaml\)/);
  });

  it('a bool flag takes no separate value: the next item is a stray argument', () => {
    const text = pod(['--audit-policy-file=/etc/kubernetes/pki/a.yaml', '--audit-log-path=-', '--audit-log-compress', 'true']);
    const stray = withCode(check(text), 'apiserver-stray-argument');
    assert.deepEqual(stray.map((d) => [where(text, d), d.message.split(':')[0]]), [['11:6-11:10 true', '"kube-apiserver" does not take any arguments, got ["true"]']]);
  });

  it('the policy file is not mounted: an error, since the apiserver cannot start', () => {
    const text = pod(['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=-'], '    volumeMounts:\n    - name: certs\n      mountPath: /etc/kubernetes/pki\n  volumes:\n  - name: certs\n    hostPath:\n      path: /etc/kubernetes/pki\n');
    const missing = withCode(check(text), 'audit-mount-missing');
    assert.deepEqual(missing.map((d) => [where(text, d), d.severity]), [['8:26-8:59 /etc/kubernetes/audit-policy.yaml', DiagnosticSeverity.Error]]);
  });

  it('a mount without its volume, a read-only log directory, a log file mounted instead of its directory', () => {
    const mounts = [
      '    volumeMounts:',
      '    - name: policy',
      '      mountPath: /etc/audit',
      '      readOnly: true',
      '    - name: logs',
      '      mountPath: /var/log/audit/audit.log',
      '      readOnly: true',
      '  volumes:',
      '  - name: logs',
      '    hostPath:',
      '      path: /var/log/audit/audit.log',
      '      type: FileOrCreate',
    ].join('\n');
    const text = pod(['--audit-policy-file=/etc/audit/policy.yaml', '--audit-log-path=/var/log/audit/audit.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'], mounts);
    const diagnostics = check(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d)]),
      [
        ['audit-volume-missing', '14:12-14:18 policy'],
        ['audit-log-mount-read-only', '18:6-18:15 mountPath'],
        ['audit-log-mount-is-file', '18:6-18:15 mountPath'],
      ],
    );
  });
});

describe('kubeadm ClusterConfiguration', () => {
  it('v1beta3 map: an unquoted number is an error kubeadm stops at, and maxbackup 5 is low', () => {
    const text = fixture('kubeadm-v1beta3.yaml');
    const diagnostics = check(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d)]),
      [
        ['audit-mount-missing', '13:20-13:55 /var/log/kubernetes/audit/audit.log'],
        ['audit-flag-not-a-string', '15:25-15:26 5'],
        ['audit-log-maxbackup', '15:25-15:26 5'],
      ],
    );
    assert.match(withCode(diagnostics, 'audit-mount-missing')[0]!.message, /no apiServer\.extraVolumes entry covers \/var\/log\/kubernetes\/audit/);
  });

  it('v1beta4 name/value list: the policy under /etc/kubernetes/pki needs no extraVolume (kubeadm mounts it)', () => {
    const text = fixture('kubeadm-v1beta4.yaml');
    const diagnostics = check(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d)]),
      [
        ['audit-mount-missing', '10:11-10:46 /var/log/kubernetes/audit/audit.log'],
        ['audit-mode', '18:11-18:16 batch'],
      ],
    );
  });

  it('no audit extraArgs at all: the warning is on apiServer', () => {
    const text = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  certSANs: [cp.example.internal]\n';
    assert.deepEqual(check(text).map((d) => [d.code, where(text, d)]), [['audit-policy-file-missing', '3:0-3:9 apiServer']]);
  });
});

describe('k3s / RKE2 config.yaml', () => {
  it('kube-apiserver-arg items: a misspelt flag, and the maxsize it leaves unset', () => {
    const text = fixture('k3s-config.yaml');
    assert.deepEqual(
      check(text, 'config.yaml').map((d) => [d.code, where(text, d)]),
      [
        ['audit-log-maxsize', '7:4-7:18 audit-log-path'],
        ['audit-flag-unknown', '10:4-10:22 audit-log-max-size'],
      ],
    );
  });

  it("RKE2's own audit-policy-file option counts as the flag; without a log path it is only noted", () => {
    const text = 'audit-policy-file: /etc/rancher/rke2/audit-policy.yaml\nprofile: cis\n';
    const diagnostics = check(text, 'config.yaml');
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d), d.severity]), [['audit-backend-missing', '1:0-1:17 audit-policy-file', DiagnosticSeverity.Information]]);
  });
});
