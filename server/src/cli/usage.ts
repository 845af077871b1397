// What `k8s-audit --help`, `k8s-audit help COMMAND` and `k8s-audit COMMAND --help` print: one text
// per command, so the overview and the command's own help never disagree.
import { PRODUCT_VERSION } from '../version';

export const COMMANDS = ['lint', 'explain', 'scan', 'query', 'detectors', 'simulate', 'tune', 'report', 'load', 'serve'] as const;
export type CommandName = (typeof COMMANDS)[number];

interface CommandHelp {
  synopsis: string;
  /** One line for the overview. */
  purpose: string;
  details: string;
}

const EXIT_IO = '2 a usage error, or a file could not be read';
const EXIT_DAMAGED = '3 some input was damaged (a broken .gz stream, binary data): the results are partial';

/** "Exit status: 0 ...", one status a line. */
function exitStatus(...statuses: string[]): string {
  return statuses.map((status, i) => `${i === 0 ? 'Exit status: ' : '             '}${status}`).join('\n');
}

const HELP: Record<CommandName, CommandHelp> = {
  lint: {
    synopsis: 'k8s-audit lint FILE... [--format text|json|sarif] [--kubernetes-version 1.x]',
    purpose: 'Check audit policy files the way kube-apiserver reads them, and the audit setup around them.',
    details: `Audit-setup files are recognised by content: kube-apiserver manifests, kubeadm and k3s/RKE2
config, the webhook kubeconfig, eksctl, CloudFormation, AKS diagnostic settings and IAM policies.
Prints each finding as FILE:LINE:COLUMN: SEVERITY MESSAGE [CODE] (1-based), then a count of
errors, warnings, information and hints.
  --format json    [{ "file", "diagnostics": [{ "code", "severity", "message", "range" }] }], ranges
                   0-based (LSP positions); an unreadable file has "error" instead of diagnostics.
  --format sarif   SARIF 2.1.0 with 1-based regions; URIs relative to %SRCROOT% (the working directory);
                   unreadable files are tool execution notifications.
  --kubernetes-version 1.x   the apiserver version to check against (default: the newest known).
${exitStatus('0 no errors', '1 errors found', EXIT_IO)}`,
  },
  explain: {
    synopsis: `k8s-audit explain POLICY --verb V (--resource R | --url PATH) [--namespace N] [--name X]
              [--user U] [--groups G1,G2] [--api-group G] [--format text|json] [--kubernetes-version 1.x]`,
    purpose: "Which rule decides a request's audit level, and what that level records.",
    details: `--resource takes pods, pods/exec, deployments...; --url a non-resource path such as /healthz.
  --format json    { level, omitStages, omitManagedFields, requestBodyLogged, responseBodyLogged, summary,
                   ruleIndex, ruleLine, ruleNumber, ruleLineNumber }: ruleIndex and ruleLine are 0-based
                   (position in rules[], LSP line), ruleNumber and ruleLineNumber 1-based (as in the summary
                   and in editors). The rule fields are absent when no rule matches.
${exitStatus('0 explained', '1 kube-apiserver would not load the policy', EXIT_IO)}`,
  },
  scan: {
    synopsis: `k8s-audit scan LOG... [--format text|json|sarif] [--min-severity info|low|medium|high|critical]
              [--fail-on SEVERITY] [--detectors ID,... | --detectors FILE.json] [--include-disabled]
              [--with-rotated] [--ungrouped] [--policy P] [--progress]`,
    purpose: 'Run the security detectors over audit logs.',
    details: `Reads JSON lines, EventList, legacy text, AKS, GKE and EKS records, .gz too; window detectors
included (401/403 bursts per source and per user, many distinct secrets read).
  --min-severity   lowest severity listed; default low. Info findings (activity records such as
                   "K8s Deployment Created") are counted and hidden by default: the text summary says
                   how many; --min-severity info lists them (the viewer shows every severity).
  --format text    one line per finding, grouped per detector and user: the first 3 findings of each
                   group, then "... and N more". --ungrouped lists every finding.
  --format json    { files, format, events, requests, skipped, skippedCount, detections, summary,
                   hiddenBelowMinSeverity, minSeverity, unknown, errors, damaged, fileDetails }: every
                   finding; "owner" names the workload a controller made the object for.
  --fail-on SEVERITY   exit 1 when a finding at or above SEVERITY is found (default: never).
  --detectors FILE.json: {"systemPrincipals": [...], "custom": [...], "disabled": [...]}, the same as the
      k8sAudit.detectors.* settings: an edited allowlist of system users, your own detectors ({"id",
      "title", "severity", "condition" in the query language, optional "bodyCondition", "needsLevel",
      "description", "remediation", "references", "window": {"key", "distinct", "threshold",
      "seconds"}}), and detector ids to turn off. Invalid entries are reported and skipped.
  --with-rotated   also read each LOG's rotated backups (audit-2026-...log.gz, audit.log.1), oldest first.
  --policy P       secret values found in the log are traced to the rule (and line) of P that logs them.
  --clickhouse URL [--table T] [--cluster C]   instead of LOG files: the same detectors over the events
                   loaded with k8s-audit load (SQL selects the candidates, the same code decides).
${exitStatus('0 done', '1 a finding reached --fail-on', EXIT_IO, EXIT_DAMAGED)}
When several apply, the first in the order 2, 3, 1 wins.`,
  },
  query: {
    synopsis: `k8s-audit query LOG... 'QUERY' [--format jsonl|table|count|jq] [--stages] [--limit N] [--now TIME]
              [--with-rotated] [--progress]
       k8s-audit query --clickhouse URL [--table T] [--cluster C] 'QUERY' [--format jsonl|table|count|sql] [--limit N]`,
    purpose: 'Print the requests a query matches.',
    details: `One result per request (its stages grouped by auditID), judged and printed as its most complete
stage, as the viewer and the detectors see it.
  --stages         print every stage of each matching request (count and table count stages then).
  --limit N        at most N requests.
  --now TIME       the time last:15m is counted back from (default: now).
  --format jq      the same query as a jq program over Event JSON lines, grouping stages by auditID the
                   same way, so it selects the same requests (and with --stages, the same stages):
                     jq -nc "$(k8s-audit query --format jq 'QUERY')" audit.log
                   It reads plain audit.k8s.io Event lines only (not EventList, legacy text, AKS, GKE or
                   EKS records; not .gz, use zcat).
  --clickhouse URL the query runs on the events loaded with k8s-audit load (--format sql prints the
                   SELECT; JSON path terms are prefiltered in SQL and decided by the same evaluator as
                   for files). --stages is not supported there.
${exitStatus('0 done', EXIT_IO, EXIT_DAMAGED)}`,
  },
  detectors: {
    synopsis: 'k8s-audit detectors [--format text|json] [--detectors ID,... | --detectors FILE.json] [--include-disabled]',
    purpose: 'List the detectors scan runs, with their conditions.',
    details: `With FILE.json's settings applied: severity, id, title, the level a detector needs, and its
condition in the query language (paste it into the viewer or a query).
${exitStatus('0 listed', EXIT_IO)}`,
  },
  simulate: {
    synopsis: `k8s-audit simulate POLICY LOG... [--compare OTHER] [--format text|json|markdown]
              [--top N] [--kubernetes-version 1.x] [--with-rotated] [--progress]`,
    purpose: 'Replay audit logs through a policy: volume and cost per rule, dead rules, exposures.',
    details: `Per rule: the requests it takes, the events and bytes it would write (per day, over the log's
time span), its share and top users, agents, resources and verbs; dead rules, unmatched requests,
totals by level, sensitive requests logged with their bodies (exposures), and what the sample cannot
tell. --compare OTHER shows the change from OTHER to POLICY. A policy kube-apiserver would refuse is
simulated as written, with a warning.
  --format json    { policy, logs, window, totals, rules, unmatched, exposures, unknown, compare }:
                   "index" and "line" of a rule are 0-based.
${exitStatus('0 done', '1 the policy has errors', EXIT_IO)}`,
  },
  tune: {
    synopsis: `k8s-audit tune LOG... [--policy P] [--budget SIZE/day] [--format yaml|json]
              [--detectors ID,... | --detectors FILE.json] [--kubernetes-version 1.x] [--with-rotated] [--progress]`,
    purpose: 'Propose a policy that drops the logs\' noise and keeps the must-logs.',
    details: `From P, or from a starter that logs secrets and other sensitive objects at Metadata,
exec/attach/port-forward, RBAC changes in full and other writes with their bodies; then drops the
high-volume, low-value traffic the logs show (leases and status patches of nodes and controllers,
health and discovery URLs, reads of system users, event objects, RequestReceived events) where no
enabled detector and no CIS 3.2.2 concern needs it. The YAML is commented (why each rule is there, its
share of the volume) and says the estimated cut.
  --budget 5GB/day stop dropping once the estimate fits.
  --detectors      the detectors whose needs the proposal keeps (ids, or a FILE.json of settings:
                   systemPrincipals, custom, disabled).
${exitStatus('0 done', '1 the proposal fails a check or misses the budget', EXIT_IO)}`,
  },
  load: {
    synopsis: `k8s-audit load LOG... --clickhouse URL[,URL...] [--table T] [--cluster C] [--with-rotated] [--restart]
              [--batch N] [--detectors ...] [--progress]`,
    purpose: 'Load audit logs into ClickHouse, one row per event.',
    details: `Every format the reader knows, .gz and rotated sets, in batches. The table (default audit_events)
is created when missing; with --cluster C, a MergeTree table T_local on every node named in
--clickhouse and a Distributed table T over C. An interrupted load resumes where it stopped
(--restart reads everything again); events already in the table are never counted twice.
Password: in the URL or K8S_AUDIT_CLICKHOUSE_PASSWORD. Damaged input (a broken .gz, binary data) is
loaded up to the damage and said on stderr, as are skipped records.
${exitStatus('0 loaded', '2 a usage error, a file could not be read, or ClickHouse refused', EXIT_DAMAGED)}`,
  },
  serve: {
    synopsis: `k8s-audit serve --listen HOST:PORT [--out DIR] [--clickhouse URL [--table T] [--cluster C]]
              [--tls-cert F --tls-key F] [--client-ca F] [--token-file F] [--print-detections]
              [--max-body-mb 64] [--max-in-flight 16] [--rotate-mb 100] [--detectors ...]`,
    purpose: "Receive kube-apiserver's webhook audit backend into files and/or ClickHouse.",
    details: `POSTs of audit.k8s.io/v1 EventList. A batch is answered 200 only once stored: fsynced JSON lines
in DIR/audit.log (rotated to audit-<time>.log) and/or acknowledged by ClickHouse. 400 malformed
(nothing written), 401 unauthenticated, 413 too big, 429/503 when a sink is behind or down (the
apiserver retries). Plain HTTP only on loopback; elsewhere TLS with a client CA and/or a bearer token.
  --print-detections   each detector hit as a JSON line as it arrives.
GET /healthz, /metrics. Runs until SIGINT or SIGTERM.
${exitStatus('0 stopped by a signal', EXIT_IO)}`,
  },
  report: {
    synopsis: `k8s-audit report [--policy P] [--manifest M...] [--log L...] [--format markdown|html|json|sarif]
              [--cardholder-namespaces NS,...] [--phi-namespaces NS,...] [--path-mapping HOST=LOCAL...]
              [--kubernetes-version 1.x] [--fail-on fail|partial|never]`,
    purpose: 'Compliance report over the whole audit setup (CIS, SOC 2, PCI DSS, HIPAA).',
    details: `Controls: CIS 1.2.16-1.2.19, 3.2.1, 3.2.2, SOC 2 CC6.1/CC7.2, PCI DSS 10.2/10.5, HIPAA 164.312(b),
each pass/fail/partial/manual with the lines that are its evidence.
  --manifest       kube-apiserver manifests, kubeadm/k3s config, the webhook kubeconfig, eksctl,
                   CloudFormation, AKS diagnostic settings or IAM policies.
  --policy P       the audit policy; without it, the file --audit-policy-file names is looked for (same
                   path, under the current directory, or through --path-mapping HOST=LOCAL).
${exitStatus('0 nothing at or above --fail-on (default fail)', '1 a control at or above --fail-on', EXIT_IO)}`,
  },
};

/** `k8s-audit --help`: the commands, one line each, and where to read more. */
export function overviewHelp(): string {
  const commands = COMMANDS.map((name) => `  ${HELP[name].synopsis.split('\n')[0]}\n      ${HELP[name].purpose}`).join('\n');
  return `k8s-audit ${PRODUCT_VERSION}: Kubernetes audit policy and audit log tools

Commands:
${commands}
  k8s-audit --help | --version

Run "k8s-audit help COMMAND" or "k8s-audit COMMAND --help" for a command's options and exit status.
${exitStatus('0 success', '1 findings (lint: errors; scan: --fail-on reached; explain: the policy would not load)', EXIT_IO, EXIT_DAMAGED)}
`;
}

/** `k8s-audit COMMAND --help`. */
export function commandHelp(name: CommandName): string {
  const help = HELP[name];
  return `Usage: ${help.synopsis}\n\n${help.purpose}\n${help.details}\n`;
}

export function isCommand(name: string | undefined): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name ?? '');
}

/** `--help` or `-h` among a command's arguments (before a `--` that ends the options). */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
