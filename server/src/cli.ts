// Entry point of `k8s-audit`: the product's engines on the command line, for CI pipelines.
import { UsageError } from './cli/args';
import { asksForHelp, commandHelp, isCommand, overviewHelp, type CommandName } from './cli/usage';
import { PRODUCT_VERSION } from './version';

type Runner = (argv: string[], out: typeof process.stdout, err: typeof process.stderr) => Promise<number>;

/**
 * Each command's runner: its arguments and the process's output streams in, its exit status out.
 * Loaded when its command runs: a command starts without evaluating the others' modules (the policy
 * checks' JSON Schema and YAML for a scan: ~20 ms of every run).
 */
const RUNNERS: { readonly [C in CommandName]: () => Runner } = {
  lint: () => (require('./cli/lint') as typeof import('./cli/lint')).runLint,
  explain: () => (require('./cli/explain') as typeof import('./cli/explain')).runExplain,
  scan: () => (require('./cli/scan') as typeof import('./cli/scan')).runScan,
  query: () => (require('./cli/query') as typeof import('./cli/query')).runQuery,
  detectors: () => (require('./cli/detectors') as typeof import('./cli/detectors')).runDetectors,
  report: () => (require('./cli/report') as typeof import('./cli/report')).runReport,
  simulate: () => (require('./cli/simulate') as typeof import('./cli/simulate')).runSimulate,
  tune: () => (require('./cli/tune') as typeof import('./cli/tune')).runTune,
  load: () => (require('./cli/load') as typeof import('./cli/load')).runLoad,
  serve: () => (require('./cli/serve') as typeof import('./cli/serve')).runServe,
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
      if (isCommand(command)) return RUNNERS[command]()(rest, process.stdout, process.stderr);
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
