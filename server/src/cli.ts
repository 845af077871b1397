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
import { asksForHelp, commandHelp, isCommand, overviewHelp, type CommandName } from './cli/usage';
import { PRODUCT_VERSION } from './version';

/** Each command's runner: its arguments and the process's output streams in, its exit status out. */
const RUNNERS: { readonly [C in CommandName]: (argv: string[], out: typeof process.stdout, err: typeof process.stderr) => Promise<number> } = {
  lint: runLint,
  explain: runExplain,
  scan: runScan,
  query: runQuery,
  detectors: runDetectors,
  report: runReport,
  simulate: runSimulate,
  tune: runTune,
  load: runLoad,
  serve: runServe,
};


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
    default:
      if (isCommand(command)) return RUNNERS[command](rest, process.stdout, process.stderr);
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
