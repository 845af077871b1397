// `npm run test:electron`: the same integration suite in desktop VS Code, downloaded by
// @vscode/test-electron. For machines with internet access (or set VSCODE_EXECUTABLE to a local
// `code` binary); on machines that only reach npm, `npm test` runs the suite in code-server instead.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace, REPO_ROOT, tempDir, unpackVsix } from './codeServer';

async function main(): Promise<void> {
  const packaged = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vsix = packaged.trim().split('\n').pop()!;
  const dataDir = tempDir('k8s-audit-electron-');
  try {
    const extensionDevelopmentPath = await unpackVsix(vsix, join(dataDir, 'vsix'));
    const workspace = await makeWorkspace(join(dataDir, 'workspace'));
    await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath,
      extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: { K8S_AUDIT_TEST_RESULTS: join(dataDir, 'results.json') },
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('integration tests failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
