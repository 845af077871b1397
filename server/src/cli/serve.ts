import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { compileDetectors, detectorDefinitions, type DetectorDefinitions } from '../auditlog/detectors';
import type { ProgressStream } from '../auditlog/progressLine';
import { ClickHouseSink } from '../store/receiver/clickhouseSink';
import { FileSink } from '../store/receiver/fileSink';
import { Receiver, type ReceiverOptions } from '../store/receiver/receiver';
import type { EventRow, EventSink } from '../store/receiver/sink';
import { parseArgs, UsageError } from './args';
import { CLICKHOUSE_OPTIONS, clickhouseTarget } from './clickhouseOption';
import { readDetectorsOption } from './detectorSettingsOption';

type Writable = { write(text: string): unknown };

const MIB = 1024 * 1024;

/**
 * `k8s-audit serve --listen HOST:PORT`: the webhook receiver, until SIGTERM/SIGINT. Plain HTTP only
 * on a loopback address; anywhere else it needs TLS and a client certificate CA or a token.
 */
export async function runServe(argv: string[], out: Writable, err: ProgressStream, stopSignal: Promise<unknown> = signals()): Promise<number> {
  const { positionals, options } = parseArgs(
    argv,
    ['listen', 'out', 'tls-cert', 'tls-key', 'client-ca', 'token-file', 'max-body-mb', 'max-in-flight', 'rotate-mb', 'detectors', ...CLICKHOUSE_OPTIONS],
    ['print-detections'],
  );
  if (positionals.length > 0) throw new UsageError(`serve takes no file names (got ${positionals[0]})`);
  const { host, port } = parseListen(options.get('listen'));
  const outDir = stringOption(options, 'out');
  const store = clickhouseTarget(options);
  if (!outDir && !store) throw new UsageError('serve needs somewhere to store events: --out DIR and/or --clickhouse URL');
  const certFile = stringOption(options, 'tls-cert');
  const keyFile = stringOption(options, 'tls-key');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const caFile = stringOption(options, 'client-ca');
  const tokenFile = stringOption(options, 'token-file');
  if (caFile && !certFile) throw new UsageError('--client-ca needs --tls-cert and --tls-key');
  if (!isLoopback(host)) {
    if (!certFile) throw new UsageError(`plain HTTP is only for loopback addresses: give --tls-cert and --tls-key to listen on ${host}`);
    if (!caFile && !tokenFile) throw new UsageError(`listening on ${host} needs client authentication: --client-ca FILE and/or --token-file FILE`);
  }
  const maxBodyBytes = positiveNumber(options, 'max-body-mb', 64) * MIB;
  const maxInFlight = positiveNumber(options, 'max-in-flight', 16);
  const rotateBytes = positiveNumber(options, 'rotate-mb', 100) * MIB;
  const { catalogs, ids } = await readDetectorsOption(options.get('detectors'), err);
  const detectors = compileDetectors({ ...catalogs, ...(ids ? { ids } : {}) });
  const definitions = detectorDefinitions(catalogs);

  let tls: ReceiverOptions['tls'];
  let token: string | undefined;
  try {
    if (certFile && keyFile) tls = { cert: await readFile(certFile), key: await readFile(keyFile), ...(caFile ? { clientCa: await readFile(caFile) } : {}) };
    if (tokenFile) token = (await readFile(tokenFile, 'utf8')).trim();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (token === '') throw new UsageError(`--token-file ${tokenFile} is empty`);

  // A sink holds at most what this many full batches would: past it, batches are refused (429).
  const maxBacklog = 50_000;
  const sinks: EventSink[] = [];
  if (outDir) sinks.push(await FileSink.open(outDir, rotateBytes, maxBacklog));
  if (store) sinks.push(new ClickHouseSink(store.client, store.nodes, store.target, maxBacklog));
  const receiver = new Receiver({
    host,
    port,
    sinks,
    detectors,
    ...(tls ? { tls } : {}),
    ...(token ? { token } : {}),
    maxBodyBytes,
    maxInFlight,
    ...(options.has('print-detections') ? { onDetection: (row: EventRow, ids: string[]) => out.write(detectionLine(row, ids, definitions)) } : {}),
  });
  const url = await receiver.listen();
  err.write(`k8s-audit serve: listening on ${url} (${sinks.map((sink) => sink.name).join('; ')})\n`);
  await stopSignal;
  await receiver.close();
  err.write('k8s-audit serve: stopped\n');
  return 0;
}

function signals(): Promise<unknown> {
  return new Promise((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
}

function detectionLine(row: EventRow, ids: string[], definitions: DetectorDefinitions): string {
  const what = `${row.user || '(no user)'} ${row.verb} ${row.subresource ? `${row.resource}/${row.subresource}` : row.resource} ${[row.namespace, row.name].filter(Boolean).join('/')}`.trim();
  const lines = ids.map((id) => {
    const definition = definitions.get(id);
    return JSON.stringify({ time: row.timeMs === null ? null : new Date(Number(row.timeMs)).toISOString(), detector: id, severity: definition?.severity, title: definition?.title, auditID: row.auditID, request: what });
  });
  return `${lines.join('\n')}\n`;
}

function stringOption(options: Map<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function positiveNumber(options: Map<string, string | true>, name: string, fallback: number): number {
  const value = stringOption(options, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!(number > 0)) throw new UsageError(`--${name} must be a positive number`);
  return number;
}

function parseListen(value: string | true | undefined): { host: string; port: number } {
  if (value === undefined || value === true) throw new UsageError('serve needs --listen HOST:PORT (e.g. 127.0.0.1:8443)');
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  if (!match) throw new UsageError(`--listen ${value}: expected HOST:PORT`);
  const port = Number(match[3]);
  if (port > 65535) throw new UsageError(`--listen ${value}: port out of range`);
  return { host: (match[1] ?? match[2])!, port };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
