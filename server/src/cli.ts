// Entry point of `k8s-audit`: the product's engines on the command line, for CI pipelines.
import { UsageError } from './cli/args';
import { runExplain } from './cli/explain';
import { runLint } from './cli/lint';
import { runLoad } from './cli/load';
import { runQuery } from './cli/query';
import { runReport } from './cli/report';
import { runScan } from './cli/scan';
import { runServe } from './cli/serve';
import { runSimulate } from './cli/simulate';
import { runTune } from './cli/tune';
import { runDetectors } from './cli/detectors';
import { asksForHelp, commandHelp, isCommand, overviewHelp } from './cli/usage';
import { PRODUCT_VERSION } from './version';


// `k8s-audit query ... | head`: a reader that stops early ends the output, not the process with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isCommand(command) && asksForHelp(rest)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(overviewHelp());
      return command === undefined ? 2 : 0;
    case 'help':
      if (rest[0] === undefined) process.stdout.write(overviewHelp());
      else if (isCommand(rest[0])) process.stdout.write(commandHelp(rest[0]));
      else throw new UsageError(`unknown command ${JSON.stringify(rest[0])}`);
      return 0;
    case '--version':
    case '-v':
      process.stdout.write(`${PRODUCT_VERSION}\n`);
      return 0;
    case 'lint':
      return runLint(rest, process.stdout, process.stderr);
    case 'explain':
      return runExplain(rest, process.stdout, process.stderr);
    case 'scan':
      return runScan(rest, process.stdout, process.stderr);
    case 'query':
      return runQuery(rest, process.stdout, process.stderr);
    case 'detectors':
      return runDetectors(rest, process.stdout, process.stderr);
    case 'report':
      return runReport(rest, process.stdout, process.stderr);
    case 'simulate':
      return runSimulate(rest, process.stdout, process.stderr);
    case 'tune':
      return runTune(rest, process.stdout, process.stderr);
    case 'load':
      return runLoad(rest, process.stdout, process.stderr);
    case 'serve':
      return runServe(rest, process.stdout, process.stderr);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      const helpFor = isCommand(argv[0]) ? `k8s-audit ${argv[0]} --help` : 'k8s-audit --help';
      process.stderr.write(`k8s-audit: ${error.message}\nRun "${helpFor}" for usage.\n`);
    } else {
      process.stderr.write(`k8s-audit: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
