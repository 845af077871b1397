// Entry point of `k8s-audit`: the product's engines on the command line, for CI pipelines.
import { UsageError } from './cli/args';
import { runExplain } from './cli/explain';
import { runLint } from './cli/lint';
import { runQuery } from './cli/query';
import { runScan } from './cli/scan';
import { runDetectors } from './cli/detectors';
import { runLoad } from './cli/load';
import { runServe } from './cli/serve';
import { PRODUCT_VERSION } from './version';

const HELP = `k8s-audit ${PRODUCT_VERSION}: Kubernetes audit policy and audit log tools

Usage:
  k8s-audit lint FILE... [--format text|json|sarif] [--kubernetes-version 1.x]
      Check audit policy files the way kube-apiserver reads them.
      Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.
  k8s-audit explain POLICY --verb V (--resource R | --url PATH) [--namespace N] [--name X]
                [--user U] [--groups G1,G2] [--api-group G] [--format text|json] [--kubernetes-version 1.x]
      Which rule decides a request's audit level, and what that level records.
  k8s-audit scan LOG... [--format text|json|sarif] [--min-severity info|low|medium|high|critical]
                [--fail-on SEVERITY] [--detectors ID,... | --detectors FILE.json] [--include-disabled]
                [--with-rotated] [--progress]
      Run the security detectors over audit logs (JSON lines, EventList, legacy text, AKS, GKE, EKS; .gz too),
      window detectors included (401/403 bursts per source and per user, many distinct secrets read).
      --detectors FILE.json: {"systemPrincipals": [...], "custom": [...], "disabled": [...]}, the same as
      the k8sAudit.detectors.* settings: an edited allowlist of system users, your own detectors
      ({"id", "title", "severity", "condition" in the query language, optional "bodyCondition",
      "needsLevel", "description", "remediation", "references", "window": {"key", "distinct",
      "threshold", "seconds"}}), and detector ids to turn off. Invalid entries are reported and skipped.
      With --clickhouse URL [--table T] [--cluster C] instead of LOG files: the same detectors over the
      events loaded with k8s-audit load (SQL selects the candidates, the same code decides).
      Exit status: 0 done, 1 a detection reached --fail-on, 2 usage or I/O failure.
  k8s-audit query LOG... 'QUERY' [--format jsonl|table|count|jq] [--stages] [--limit N] [--now TIME]
                [--with-rotated] [--progress]
  k8s-audit query --clickhouse URL [--table T] [--cluster C] 'QUERY' [--format jsonl|table|count|sql] [--limit N]
      Print the requests a query matches; --format jq prints the same query as a jq program. With
      --clickhouse, the query runs on the loaded events (--format sql prints the SELECT; JSON path
      terms are prefiltered in SQL and decided by the same evaluator as for files).
  k8s-audit detectors [--format text|json] [--detectors ID,... | --detectors FILE.json] [--include-disabled]
      List the detectors scan runs (with FILE.json's settings applied): severity, id, title, the level
      a detector needs, and its condition in the query language (paste it into the viewer or a query).
  k8s-audit load LOG... --clickhouse URL[,URL...] [--table T] [--cluster C] [--with-rotated] [--restart]
                [--batch N] [--detectors ...] [--progress]
      Load audit logs into ClickHouse, one row per event (every format the reader knows, .gz, rotated
      sets), in batches. The table (default audit_events) is created when missing; with --cluster C,
      a MergeTree table T_local on every node named in --clickhouse and a Distributed table T over C.
      An interrupted load resumes where it stopped (--restart reads everything again); events already
      in the table are never counted twice. Password: in the URL or K8S_AUDIT_CLICKHOUSE_PASSWORD.
  k8s-audit serve --listen HOST:PORT [--out DIR] [--clickhouse URL [--table T] [--cluster C]]
                [--tls-cert F --tls-key F] [--client-ca F] [--token-file F] [--print-detections]
                [--max-body-mb 64] [--max-in-flight 16] [--rotate-mb 100] [--detectors ...]
      Receive kube-apiserver's webhook audit backend (POSTs of audit.k8s.io/v1 EventList). A batch is
      answered 200 only once stored: fsynced JSON lines in DIR/audit.log (rotated to
      audit-<time>.log) and/or acknowledged by ClickHouse. 400 malformed (nothing written), 401
      unauthenticated, 413 too big, 429/503 when a sink is behind or down (the apiserver retries).
      Plain HTTP only on loopback; elsewhere TLS with a client CA and/or a bearer token.
      --print-detections writes each detector hit as a JSON line as it arrives. GET /healthz, /metrics.
  k8s-audit --help | --version
`;

// `k8s-audit query ... | head`: a reader that stops early ends the output, not the process with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '--version':
    case '-v':
      process.stdout.write(`${PRODUCT_VERSION}\n`);
      return 0;
    case 'lint':
      return runLint(rest, process.stdout);
    case 'explain':
      return runExplain(rest, process.stdout);
    case 'scan':
      return runScan(rest, process.stdout, process.stderr);
    case 'query':
      return runQuery(rest, process.stdout, process.stderr);
    case 'detectors':
      return runDetectors(rest, process.stdout, process.stderr);
    case 'load':
      return runLoad(rest, process.stdout, process.stderr);
    case 'serve':
      return runServe(rest, process.stdout, process.stderr);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`k8s-audit: ${error.message}\nRun "k8s-audit --help" for usage.\n`);
    } else {
      process.stderr.write(`k8s-audit: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
