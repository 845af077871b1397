// Entry point of `k8s-audit-language-server`: the language server over IPC (VS Code) or --stdio
// (Neovim, Helix, Emacs and any other LSP client).
import { startServer } from './lsp/startServer';
import { PRODUCT_VERSION } from './version';

const TRANSPORT_FLAGS = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
const args = process.argv.slice(2);

if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${PRODUCT_VERSION}\n`);
} else if (args.includes('--help') || args.includes('-h') || !args.some((arg) => TRANSPORT_FLAGS.some((flag) => arg.startsWith(flag)))) {
  process.stdout.write(
    [
      `k8s-audit-language-server ${PRODUCT_VERSION}`,
      'Kubernetes audit policy language server (diagnostics that match kube-apiserver).',
      '',
      'Usage: k8s-audit-language-server --stdio',
      '       k8s-audit-language-server --node-ipc | --socket=PORT | --pipe=NAME',
      '',
      'Settings arrive through workspace/configuration (section "k8sAudit") or initializationOptions,',
      'for example { "kubernetesVersion": "1.33" }.',
      '',
    ].join('\n'),
  );
  if (!args.includes('--help') && !args.includes('-h')) process.exitCode = 2;
} else {
  startServer();
}
